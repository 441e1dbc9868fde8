import { describe } from "vitest";
import { syncContract } from "./sync-contract.js";

describe("syncModules on SQLite", () => syncContract("sqlite"));
