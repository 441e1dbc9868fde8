/**
 * Synthetic Zoho CRM "Leads" records for the benchmarks: the shape of a real `GET /crm/v2/Leads`
 * page (owner lookup, ~25 fields, $-system keys), generated deterministically from an index so a
 * server can produce any page on the fly without holding the records in memory.
 */
const FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "John"];
const LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Perlman", "Backus"];
const STATUS = ["Not Contacted", "Contacted", "Attempted to Contact", "Contact in Future", "Junk Lead", "Lost Lead"];
const SOURCE = ["Web Download", "Trade Show", "Partner", "Cold Call", "Advertisement", "Chat"];
const CITY = ["Austin", "Chennai", "Berlin", "Sydney", "Tokyo", "Toronto", "London", "Riyadh"];

export const PAGE_SIZE = 200;
const ID_BASE = 4150868000000000000n;

export function leadRecord(index: number): Record<string, unknown> {
  const first = FIRST[index % FIRST.length]!;
  const last = LAST[Math.floor(index / FIRST.length) % LAST.length]!;
  const created = new Date(Date.UTC(2024, 0, 1) + index * 60_000).toISOString().replace(".000Z", "+00:00");
  return {
    id: String(ID_BASE + BigInt(index)),
    Owner: { name: "Patricia Boyle", id: "4150868000000225013", email: "patricia.boyle@zylker.example" },
    Company: `${last} & Co ${index % 997}`,
    First_Name: first,
    Last_Name: `${last}-${index}`,
    Full_Name: `${first} ${last}-${index}`,
    Email: `${first}.${last}.${index}@example.com`.toLowerCase(),
    Phone: `+1 555 ${String(1_000_000 + ((index * 7919) % 8_999_999))}`,
    Mobile: null,
    Designation: index % 3 === 0 ? "CTO" : "Engineer",
    Lead_Status: STATUS[index % STATUS.length],
    Lead_Source: SOURCE[index % SOURCE.length],
    Industry: "Technology",
    No_of_Employees: 10 + (index % 5000),
    Annual_Revenue: (index % 500) * 10_000,
    Rating: null,
    Website: `https://www.example-${index % 1000}.com`,
    Street: `${index % 900} Main Street`,
    City: CITY[index % CITY.length],
    State: null,
    Zip_Code: String(10_000 + (index % 89_999)),
    Country: "USA",
    Description: "Imported by the benchmark: a short free-text description of moderate length.",
    Email_Opt_Out: index % 11 === 0,
    Tag: [],
    Created_By: { name: "Patricia Boyle", id: "4150868000000225013", email: "patricia.boyle@zylker.example" },
    Modified_By: { name: "Patricia Boyle", id: "4150868000000225013", email: "patricia.boyle@zylker.example" },
    Created_Time: created,
    Modified_Time: created,
    $approved: true,
    $editable: true,
    $converted: false,
    $process_flow: false,
    $approval: { delegate: false, approve: false, reject: false, resubmit: false },
    $review_process: { approve: false, reject: false, resubmit: false },
  };
}

/** One page (1-based) of a module holding `total` records, as Zoho serialises it. */
export function pageBody(page: number, perPage: number, total: number): string {
  const start = (page - 1) * perPage;
  const end = Math.max(start, Math.min(total, start + perPage));
  const data: Record<string, unknown>[] = [];
  for (let i = start; i < end; i++) data.push(leadRecord(i));
  return JSON.stringify({
    data,
    info: { per_page: perPage, count: data.length, page, sort_by: "id", sort_order: "desc", more_records: end < total },
  });
}
