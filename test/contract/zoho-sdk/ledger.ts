/**
 * What ran through Zoho's SDK: one entry per operation call, by area and by the SDK's own name
 * (`RecordOperations.createRecords`), with its outcome. `ok` calls must return the SDK's model class
 * with the values that were sent (the caller's checks throw otherwise); `sdkFault` calls are the
 * documented exceptions, where Zoho's SDK itself is at fault and the check asserts that fault.
 * The summary and docs/zoho-sdk-contract.md are computed from these entries, never written by hand.
 */
export type Outcome = "ok" | "sdk-fault" | "failed";

export interface LedgerEntry {
  area: string;
  operation: string;
  outcome: Outcome;
  /** Why Zoho's SDK is at fault (sdk-fault), or what went wrong (failed). */
  note?: string;
}

export interface LedgerSummary {
  /** Distinct operations with at least one successful call. */
  ok: string[];
  /** Distinct operations only ever run as a documented SDK fault. */
  sdkFaults: Array<{ operation: string; area: string; reason: string }>;
  failed: LedgerEntry[];
  calls: number;
}

const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class Ledger {
  readonly entries: LedgerEntry[] = [];

  /** Runs an operation that must succeed; `run` makes the call and checks the model and values. */
  async ok<T>(area: string, operation: string, run: () => Promise<T>): Promise<T> {
    try {
      const value = await run();
      this.entries.push({ area, operation, outcome: "ok" });
      return value;
    } catch (error) {
      this.entries.push({ area, operation, outcome: "failed", note: describeError(error) });
      throw error;
    }
  }

  /**
   * Runs an operation Zoho's SDK itself gets wrong; `run` must assert the fault as it shows (so a
   * fixed SDK, or an emulator bent to the bug, fails here and the exception is revisited).
   */
  async sdkFault(area: string, operation: string, reason: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
      this.entries.push({ area, operation, outcome: "sdk-fault", note: reason });
    } catch (error) {
      this.entries.push({ area, operation, outcome: "failed", note: `documented SDK fault did not show as described: ${describeError(error)}` });
      throw error;
    }
  }

  summary(): LedgerSummary {
    const ok = [...new Set(this.entries.filter((e) => e.outcome === "ok").map((e) => e.operation))].sort();
    const faults = new Map<string, { operation: string; area: string; reason: string }>();
    for (const e of this.entries) {
      if (e.outcome === "sdk-fault" && !ok.includes(e.operation)) faults.set(e.operation, { operation: e.operation, area: e.area, reason: e.note ?? "" });
    }
    return {
      ok,
      sdkFaults: [...faults.values()].sort((a, b) => a.operation.localeCompare(b.operation)),
      failed: this.entries.filter((e) => e.outcome === "failed"),
      calls: this.entries.length,
    };
  }
}
