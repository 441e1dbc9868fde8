/** Codec of notification channels (events as lists); channels past their expiry on the emulator clock are dropped on restore. */
import { areaCodec } from "../../area-codec.js";
import { listen, WATCH_AREA, type Action, type Channel, type WatchArea } from "../notification-routes.js";

type ChannelJson = Omit<Channel, "events"> & { events: Array<[module: string, actions: Action[]]> };

export const watchCodec = areaCodec<WatchArea, { channels: ChannelJson[] }>({
  name: WATCH_AREA,
  // `deliveries` is a log for tests, not state: it starts empty after a restart.
  snapshot: (watch) => ({
    channels: [...watch.channels.values()].map((c) => ({ ...c, events: [...c.events].map(([m, a]): [string, Action[]] => [m, [...a]]) })),
  }),
  restore: (json, state) => {
    const watch: WatchArea = { channels: new Map(), deliveries: [], listening: false };
    const now = state.clock.now();
    for (const c of json.channels) if (c.expiresMs > now) watch.channels.set(c.channelId, { ...c, events: new Map(c.events.map(([m, a]) => [m, new Set(a)])) });
    listen(state, watch); // live channels get record changes from the first request on
    return watch;
  },
});
