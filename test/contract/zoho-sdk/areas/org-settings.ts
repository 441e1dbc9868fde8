/**
 * Org settings through Zoho's SDK: CurrenciesOperations (multi-currency enabled with a base
 * currency, one added, updated three ways), TaxesOperations (create, read, update, delete) and
 * ContactRolesOperations (the org's roles, and a contact's role on a deal).
 */
import { expect } from "vitest";
import { detailsOf, modelOf, successes, choiceValue } from "../checks.js";
import { type AreaContext, big, choice, params } from "../context.js";
import { type ZohoValue, zohoApi } from "../load.js";
import { createRecords } from "./records.js";

const { CurrenciesOperations } = zohoApi("currencies/currencies_operations");
const { Currency } = zohoApi("currencies/currency");
const { Format } = zohoApi("currencies/format");
const { BodyWrapper: CurrenciesBody } = zohoApi("currencies/body_wrapper");
const { BaseCurrencyWrapper } = zohoApi("currencies/base_currency_wrapper");
const { ResponseWrapper: CurrenciesResponse } = zohoApi("currencies/response_wrapper");
const { ActionWrapper: CurrenciesActions } = zohoApi("currencies/action_wrapper");
const { BaseCurrencyActionWrapper } = zohoApi("currencies/base_currency_action_wrapper");
const { SuccessResponse: CurrencySuccess } = zohoApi("currencies/success_response");
const T = zohoApi("taxes/taxes_operations");
const { TaxesOperations } = T;
const { Tax } = zohoApi("taxes/tax");
const { BodyWrapper: TaxesBody } = zohoApi("taxes/body_wrapper");
const { ResponseWrapper: TaxesResponse } = zohoApi("taxes/response_wrapper");
const { ActionWrapper: TaxesActions } = zohoApi("taxes/action_wrapper");
const { SuccessResponse: TaxSuccess } = zohoApi("taxes/success_response");
const CR = zohoApi("contact_roles/contact_roles_operations");
const { ContactRolesOperations } = CR;
const { ContactRole } = zohoApi("contact_roles/contact_role");
const { BodyWrapper: RolesBody } = zohoApi("contact_roles/body_wrapper");
const { ResponseWrapper: RolesResponse } = zohoApi("contact_roles/response_wrapper");
const { ActionWrapper: RolesActions } = zohoApi("contact_roles/action_wrapper");
const { SuccessResponse: RoleSuccess } = zohoApi("contact_roles/success_response");
const { RecordBodyWrapper } = zohoApi("contact_roles/record_body_wrapper");
const { ContactRoleWrapper } = zohoApi("contact_roles/contact_role_wrapper");
const { RecordActionWrapper } = zohoApi("contact_roles/record_action_wrapper");
const { RecordResponseWrapper } = zohoApi("contact_roles/record_response_wrapper");

function currency(values: { id?: string; iso?: string; name?: string; rate?: string; symbol?: string; decimals?: string }): ZohoValue {
  const c = new Currency();
  if (values.id) c.setId(big(values.id));
  if (values.name) c.setName(values.name);
  if (values.iso) c.setIsoCode(values.iso);
  if (values.rate) c.setExchangeRate(values.rate);
  if (values.symbol) c.setSymbol(values.symbol);
  if (values.decimals) {
    const format = new Format();
    format.setDecimalSeparator(choice("Period"));
    format.setThousandSeparator(choice("Comma"));
    format.setDecimalPlaces(choice(values.decimals));
    c.setFormat(format);
  }
  return c;
}

const currencies = (...list: ZohoValue[]): ZohoValue => {
  const body = new CurrenciesBody();
  body.setCurrencies(list);
  return body;
};

const base = (c: ZohoValue): ZohoValue => {
  const body = new BaseCurrencyWrapper();
  body.setBaseCurrency(c);
  return body;
};

export async function currenciesArea(ctx: AreaContext): Promise<void> {
  const { ledger } = ctx;
  const ops = new CurrenciesOperations();
  const read = async (id: string): Promise<ZohoValue> => modelOf(await ops.getCurrency(big(id)), CurrenciesResponse).getCurrencies()[0];

  const usd = await ledger.ok("currencies", "CurrenciesOperations.enableMultipleCurrencies", async () => {
    const result = modelOf(
      await ops.enableMultipleCurrencies(base(currency({ iso: "USD", name: "US Dollar - USD", symbol: "$", rate: "1.0", decimals: "2" }))),
      BaseCurrencyActionWrapper,
    ).getBaseCurrency();
    expect(result).toBeInstanceOf(CurrencySuccess);
    return String(detailsOf(result).id);
  });
  const eur = await ledger.ok("currencies", "CurrenciesOperations.addCurrencies", async () => {
    const [item] = successes(
      modelOf(
        await ops.addCurrencies(currencies(currency({ iso: "EUR", name: "Euro - EUR", symbol: "€", rate: "0.92", decimals: "2" }))),
        CurrenciesActions,
      ).getCurrencies(),
      CurrencySuccess,
    );
    return String(detailsOf(item).id);
  });
  await ledger.ok("currencies", "CurrenciesOperations.getCurrencies", async () => {
    const all = modelOf(await ops.getCurrencies(), CurrenciesResponse).getCurrencies();
    expect(all.map((c: ZohoValue) => [c.getIsoCode(), c.getIsBase()]).sort()).toEqual([
      ["EUR", false],
      ["USD", true],
    ]);
  });
  await ledger.ok("currencies", "CurrenciesOperations.getCurrency", async () => {
    const one = await read(eur);
    expect([one.getIsoCode(), one.getSymbol(), Number(one.getExchangeRate())]).toEqual(["EUR", "€", 0.92]);
  });
  await ledger.ok("currencies", "CurrenciesOperations.updateCurrency", async () => {
    successes(modelOf(await ops.updateCurrency(big(eur), currencies(currency({ rate: "0.95" }))), CurrenciesActions).getCurrencies(), CurrencySuccess);
    expect(Number((await read(eur)).getExchangeRate())).toBe(0.95);
  });
  await ledger.ok("currencies", "CurrenciesOperations.updateCurrencies", async () => {
    successes(modelOf(await ops.updateCurrencies(currencies(currency({ id: eur, symbol: "EUR" }))), CurrenciesActions).getCurrencies(), CurrencySuccess);
    expect((await read(eur)).getSymbol()).toBe("EUR");
  });
  await ledger.ok("currencies", "CurrenciesOperations.updateBaseCurrency", async () => {
    const result = modelOf(await ops.updateBaseCurrency(base(currency({ id: usd, decimals: "3" }))), BaseCurrencyActionWrapper).getBaseCurrency();
    expect(result).toBeInstanceOf(CurrencySuccess);
    expect(choiceValue((await read(usd)).getFormat().getDecimalPlaces())).toBe("3");
  });
}

function taxes(...values: Array<{ id?: string; name?: string; value?: number }>): ZohoValue {
  const body = new TaxesBody();
  body.setTaxes(
    values.map((v) => {
      const tax = new Tax();
      if (v.id) tax.setId(big(v.id));
      if (v.name) tax.setName(v.name);
      if (v.value !== undefined) tax.setValue(v.value);
      return tax;
    }),
  );
  return body;
}

export async function taxesArea(ctx: AreaContext): Promise<void> {
  const { ledger } = ctx;
  const ops = new TaxesOperations();
  const names = async (): Promise<string[]> => {
    const response = await ops.getTaxes();
    return response.getStatusCode() === 204
      ? []
      : modelOf(response, TaxesResponse)
          .getTaxes()
          .map((t: ZohoValue) => t.getName())
          .sort();
  };

  const [vat, gst, spare] = await ledger.ok("taxes", "TaxesOperations.createTaxes", async () =>
    successes(
      modelOf(
        await ops.createTaxes(taxes({ name: "Sdk VAT", value: 23 }, { name: "Sdk GST", value: 5 }, { name: "Sdk Spare", value: 1 })),
        TaxesActions,
      ).getTaxes(),
      TaxSuccess,
    ).map((i) => String(detailsOf(i).id)),
  );
  await ledger.ok("taxes", "TaxesOperations.getTaxes", async () => {
    expect(await names()).toEqual(expect.arrayContaining(["Sdk GST", "Sdk Spare", "Sdk VAT"]));
  });
  await ledger.ok("taxes", "TaxesOperations.getTax", async () => {
    const [one] = modelOf(await ops.getTax(big(vat)), TaxesResponse).getTaxes();
    expect([one.getName(), one.getValue()]).toEqual(["Sdk VAT", 23]);
  });
  await ledger.ok("taxes", "TaxesOperations.updateTaxes", async () => {
    successes(modelOf(await ops.updateTaxes(taxes({ id: vat, value: 21 })), TaxesActions).getTaxes(), TaxSuccess);
    expect(
      modelOf(await ops.getTax(big(vat)), TaxesResponse)
        .getTaxes()[0]
        .getValue(),
    ).toBe(21);
  });
  await ledger.ok("taxes", "TaxesOperations.deleteTax", async () => {
    successes(modelOf(await ops.deleteTax(big(spare)), TaxesActions).getTaxes(), TaxSuccess);
  });
  await ledger.ok("taxes", "TaxesOperations.deleteTaxes", async () => {
    successes(
      modelOf(await ops.deleteTaxes(await params([T.DeleteTaxesParam.IDS, big(vat)], [T.DeleteTaxesParam.IDS, big(gst)])), TaxesActions).getTaxes(),
      TaxSuccess,
    );
    expect((await names()).filter((n) => n.startsWith("Sdk "))).toEqual([]);
  });
}

function roles(...values: Array<{ id?: string; name: string }>): ZohoValue {
  const body = new RolesBody();
  body.setContactRoles(
    values.map((v) => {
      const role = new ContactRole();
      if (v.id) role.setId(big(v.id));
      role.setName(v.name);
      return role;
    }),
  );
  return body;
}

export async function contactRolesArea(ctx: AreaContext): Promise<void> {
  const { ledger } = ctx;
  const ops = new ContactRolesOperations();
  const nameOf = async (id: string): Promise<string> =>
    modelOf(await ops.getContactRole(big(id)), RolesResponse)
      .getContactRoles()[0]
      .getName();

  const [buyer, champion, spare, extra] = await ledger.ok("contact roles", "ContactRolesOperations.createContactRoles", async () =>
    successes(
      modelOf(
        await ops.createContactRoles(roles({ name: "Sdk Buyer" }, { name: "Sdk Champion" }, { name: "Sdk Spare" }, { name: "Sdk Extra" })),
        RolesActions,
      ).getContactRoles(),
      RoleSuccess,
    ).map((i) => String(detailsOf(i).id)),
  );
  await ledger.ok("contact roles", "ContactRolesOperations.getContactRoles", async () => {
    const all = modelOf(await ops.getContactRoles(), RolesResponse)
      .getContactRoles()
      .map((r: ZohoValue) => r.getName());
    expect(all).toEqual(expect.arrayContaining(["Sdk Buyer", "Sdk Champion", "Sdk Spare", "Sdk Extra"]));
  });
  await ledger.ok("contact roles", "ContactRolesOperations.getContactRole", async () => {
    expect(await nameOf(buyer!)).toBe("Sdk Buyer");
  });
  await ledger.ok("contact roles", "ContactRolesOperations.updateContactRole", async () => {
    successes(modelOf(await ops.updateContactRole(big(buyer), roles({ name: "Sdk Economic Buyer" })), RolesActions).getContactRoles(), RoleSuccess);
    expect(await nameOf(buyer!)).toBe("Sdk Economic Buyer");
  });
  await ledger.ok("contact roles", "ContactRolesOperations.updateContactRoles", async () => {
    successes(modelOf(await ops.updateContactRoles(roles({ id: champion, name: "Sdk Sponsor" })), RolesActions).getContactRoles(), RoleSuccess);
    expect(await nameOf(champion!)).toBe("Sdk Sponsor");
  });

  // A contact's role on a deal.
  const [contact] = await createRecords(ctx, "Contacts", [{ Last_Name: "Sdk-Decider" }]);
  const [deal] = await createRecords(ctx, "Deals", [
    { Deal_Name: "Sdk Roles Deal", Stage: choice("Qualification"), Closing_Date: new Date(Date.UTC(2030, 5, 1)) },
  ]);
  await ledger.ok("contact roles", "ContactRolesOperations.addContactRoleToDeal", async () => {
    const wrapper = new ContactRoleWrapper();
    wrapper.setContactRole(champion); // v2: the contact role's id
    const body = new RecordBodyWrapper();
    body.setData([wrapper]);
    successes(modelOf(await ops.addContactRoleToDeal(big(contact), big(deal), body), RecordActionWrapper).getData(), RoleSuccess);
  });
  await ledger.ok("contact roles", "ContactRolesOperations.getContactRoleOfDeal", async () => {
    const [one] = modelOf(await ops.getContactRoleOfDeal(big(contact), big(deal)), RecordResponseWrapper).getData();
    const role = one.getKeyValue("Contact_Role");
    const [roleId, roleName] = role instanceof Map ? [role.get("id"), role.get("name")] : [role.id, role.name];
    expect([String(one.getId()), one.getKeyValue("Last_Name"), String(roleId), roleName]).toEqual([contact, "Sdk-Decider", champion, "Sdk Sponsor"]);
  });
  await ledger.ok("contact roles", "ContactRolesOperations.getAllContactRolesOfDeal", async () => {
    const all = modelOf(
      await ops.getAllContactRolesOfDeal(big(deal), await params([CR.GetAllContactRolesOfDealParam.IDS, contact])),
      RecordResponseWrapper,
    ).getData();
    expect(all.map((r: ZohoValue) => String(r.getId()))).toEqual([contact]);
  });
  await ledger.ok("contact roles", "ContactRolesOperations.removeContactRoleFromDeal", async () => {
    successes(modelOf(await ops.removeContactRoleFromDeal(big(contact), big(deal)), RecordActionWrapper).getData(), RoleSuccess);
    expect((await ops.getAllContactRolesOfDeal(big(deal))).getStatusCode()).toBe(204);
  });

  await ledger.ok("contact roles", "ContactRolesOperations.deleteContactRole", async () => {
    successes(modelOf(await ops.deleteContactRole(big(spare)), RolesActions).getContactRoles(), RoleSuccess);
  });
  await ledger.ok("contact roles", "ContactRolesOperations.deleteContactRoles", async () => {
    successes(
      modelOf(await ops.deleteContactRoles(await params([CR.DeleteContactRolesParam.IDS, `${extra},${buyer}`])), RolesActions).getContactRoles(),
      RoleSuccess,
    );
    const left = modelOf(await ops.getContactRoles(), RolesResponse)
      .getContactRoles()
      .map((r: ZohoValue) => r.getName());
    expect(left.filter((n: string) => n.startsWith("Sdk "))).toEqual(["Sdk Sponsor"]);
  });
}
