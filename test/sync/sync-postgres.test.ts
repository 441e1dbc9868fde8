import { describeDb, postgresAvailable } from "../helpers/databases.js";
import { syncContract } from "./sync-contract.js";

describeDb("syncModules on PostgreSQL", await postgresAvailable(), () => syncContract("postgres"));
