import { describeDb, mariadbAvailable } from "../helpers/databases.js";
import { syncContract } from "./sync-contract.js";

describeDb("syncModules on MariaDB", await mariadbAvailable(), () => syncContract("mariadb"));
