/**
 * Notifications and record sharing through Zoho's SDK. A channel enabled through the SDK really
 * delivers: a lead created through the SDK arrives at a local receiver with the channel's id and
 * token. Sharing: a lead shared with another user, its permission changed, then revoked.
 */
import { expect } from "vitest";
import { startCallbackReceiver } from "../../../emulator/callback-receiver.js";
import { modelOf, successes } from "../checks.js";
import { type AreaContext, big, params } from "../context.js";
import { type ZohoValue, zohoApi } from "../load.js";
import { createRecords } from "./records.js";

const N = zohoApi("notification/notification_operations");
const { NotificationOperations } = N;
const { Notification } = zohoApi("notification/notification");
const { BodyWrapper: WatchBody } = zohoApi("notification/body_wrapper");
const { ResponseWrapper: WatchResponse } = zohoApi("notification/response_wrapper");
const { ActionWrapper: WatchActions } = zohoApi("notification/action_wrapper");
const { SuccessResponse: WatchSuccess } = zohoApi("notification/success_response");
const { ShareRecordsOperations } = zohoApi("share_records/share_records_operations");
const { ShareRecord } = zohoApi("share_records/share_record");
const { BodyWrapper: ShareBody } = zohoApi("share_records/body_wrapper");
const { ResponseWrapper: ShareResponse } = zohoApi("share_records/response_wrapper");
const { ActionWrapper: ShareActions } = zohoApi("share_records/action_wrapper");
const { DeleteActionWrapper } = zohoApi("share_records/delete_action_wrapper");
const { SuccessResponse: ShareSuccess } = zohoApi("share_records/success_response");
const { User } = zohoApi("users/user");

const CHANNEL = 1_000_013n;

function watch(values: { events: string[]; notifyUrl?: string; token?: string; deleteEvents?: boolean }): ZohoValue {
  const channel = new Notification();
  channel.setChannelId(CHANNEL);
  channel.setEvents(values.events);
  if (values.notifyUrl) channel.setNotifyUrl(values.notifyUrl);
  if (values.token) channel.setToken(values.token);
  if (values.deleteEvents) channel.setDeleteevents(true);
  const body = new WatchBody();
  body.setWatch([channel]);
  return body;
}

export async function notificationsArea(ctx: AreaContext): Promise<void> {
  const { ledger } = ctx;
  const ops = new NotificationOperations();
  const receiver = await startCallbackReceiver();
  try {
    // One entry per watched module of the channel.
    const entries = async (): Promise<ZohoValue[]> =>
      modelOf(await ops.getNotificationDetails(await params([N.GetNotificationDetailsParam.CHANNEL_ID, CHANNEL])), WatchResponse).getWatch();
    const details = async (): Promise<ZohoValue> => (await entries())[0];
    const events = async (): Promise<string[]> => (await entries()).flatMap((e) => e.getEvents()).sort();
    const LEADS_ALL = ["Leads.create", "Leads.delete", "Leads.edit"];

    await ledger.ok("notifications", "NotificationOperations.enableNotifications", async () => {
      const body = watch({ events: ["Leads.create"], notifyUrl: receiver.url, token: "sdk-token" });
      successes(modelOf(await ops.enableNotifications(body), WatchActions).getWatch(), WatchSuccess);
    });
    const [lead] = await createRecords(ctx, "Leads", [{ Last_Name: "Sdk-Watched" }]);
    // The emulator POSTs the event to the channel's URL; a generous deadline only turns a hang into a failure.
    const event = (await receiver.waitForBody((b) => (b as { ids?: string[] }).ids?.includes(lead!) === true)) as Record<string, unknown>;
    expect(event).toMatchObject({ module: "Leads", operation: "insert", channel_id: String(CHANNEL), token: "sdk-token" });

    await ledger.ok("notifications", "NotificationOperations.getNotificationDetails", async () => {
      const channel = await details();
      expect([String(channel.getChannelId()), channel.getNotifyUrl(), channel.getToken(), channel.getEvents()]).toEqual([
        String(CHANNEL),
        receiver.url,
        "sdk-token",
        ["Leads.create"],
      ]);
    });
    await ledger.ok("notifications", "NotificationOperations.updateNotifications", async () => {
      successes(
        modelOf(await ops.updateNotifications(watch({ events: ["Leads.all"], notifyUrl: receiver.url, token: "sdk-token-2" })), WatchActions).getWatch(),
        WatchSuccess,
      );
      expect((await details()).getToken()).toBe("sdk-token-2");
      expect(await events()).toEqual(LEADS_ALL); // Leads.all: every action
    });
    await ledger.ok("notifications", "NotificationOperations.updateNotification", async () => {
      successes(modelOf(await ops.updateNotification(watch({ events: ["Contacts.edit"] })), WatchActions).getWatch(), WatchSuccess);
      expect(await events()).toEqual(["Contacts.edit", ...LEADS_ALL]);
    });
    await ledger.ok("notifications", "NotificationOperations.disableNotification", async () => {
      successes(modelOf(await ops.disableNotification(watch({ events: ["Contacts.edit"], deleteEvents: true })), WatchActions).getWatch(), WatchSuccess);
      expect(await events()).toEqual(LEADS_ALL);
    });
    await ledger.ok("notifications", "NotificationOperations.disableNotifications", async () => {
      successes(
        modelOf(await ops.disableNotifications(await params([N.DisableNotificationsParam.CHANNEL_IDS, CHANNEL])), WatchActions).getWatch(),
        WatchSuccess,
      );
      expect((await ops.getNotificationDetails(await params([N.GetNotificationDetailsParam.CHANNEL_ID, CHANNEL]))).getStatusCode()).toBe(204);
    });
  } finally {
    await receiver.close();
  }
}

export async function sharingArea(ctx: AreaContext): Promise<void> {
  const { ledger, session } = ctx;
  const [lead] = await createRecords(ctx, "Leads", [{ Last_Name: "Sdk-Shared" }]);
  const other = session.emulator.state.users().find((u) => u.status === "active" && u.email !== session.store.saves[0]!.user)!;
  const ops = new ShareRecordsOperations(big(lead), "Leads");
  const share = (permission: string): ZohoValue => {
    const user = new User();
    user.setId(big(other.id));
    const entry = new ShareRecord();
    entry.setUser(user);
    entry.setPermission(permission);
    entry.setShareRelatedRecords(false);
    const body = new ShareBody();
    body.setShare([entry]);
    return body;
  };
  const shared = async (): Promise<ZohoValue[]> => {
    const response = await ops.getSharedRecordDetails();
    return response.getStatusCode() === 204 ? [] : modelOf(response, ShareResponse).getShare();
  };

  await ledger.ok("share records", "ShareRecordsOperations.shareRecord", async () => {
    successes(modelOf(await ops.shareRecord(share("read_only")), ShareActions).getShare(), ShareSuccess);
  });
  await ledger.ok("share records", "ShareRecordsOperations.getSharedRecordDetails", async () => {
    const [entry] = await shared();
    expect([String(entry.getUser().getId()), entry.getPermission(), entry.getShareRelatedRecords()]).toEqual([other.id, "read_only", false]);
  });
  await ledger.ok("share records", "ShareRecordsOperations.updateSharePermissions", async () => {
    successes(modelOf(await ops.updateSharePermissions(share("full_access")), ShareActions).getShare(), ShareSuccess);
    expect((await shared())[0].getPermission()).toBe("full_access");
  });
  await ledger.ok("share records", "ShareRecordsOperations.revokeSharedRecord", async () => {
    expect(modelOf(await ops.revokeSharedRecord(), DeleteActionWrapper).getShare()).toBeInstanceOf(ShareSuccess);
    expect(await shared()).toEqual([]);
  });
}
