/**
 * What a call's last transport attempt leaves for the call's error translation (a body that fails
 * to parse or stalls *after* the transport returned, inside openapi-fetch), and the cleanup that
 * runs when the call settles. One object per call, held by the call's own closure.
 */
export interface CallState {
  method?: string;
  url?: string;
  status?: number;
  /** The final attempt's signal: `timedOut` tells a stalled body from a broken one. */
  attempt?: { readonly timedOut: boolean };
  /** Runs when the call settled (body parsed or failed): frees the attempt's timer. */
  cleanup?: () => void;
}
