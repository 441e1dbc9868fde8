/**
 * Reading a body with a ceiling: a JSON answer or a token response larger than `maxBytes` is
 * refused without reading further (a hostile or broken server cannot make us buffer gigabytes).
 * The declared `Content-Length` is checked first; an undeclared length is counted as it streams.
 */

export class ResponseTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`response body larger than ${limit} bytes`);
  }
}

/** The body as text, or `ResponseTooLarge` (the rest of the body is cancelled). */
export async function readTextCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new ResponseTooLarge(maxBytes);
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new ResponseTooLarge(maxBytes);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/**
 * The same ceiling for a body openapi-fetch will parse: a declared length over the limit is refused
 * at once; an undeclared one is counted as it streams (the stream errors with `ResponseTooLarge`).
 */
export function capBody(response: Response, maxBytes: number): Response {
  const declared = response.headers.get("content-length");
  if (declared !== null && Number(declared) <= maxBytes) return response; // the common case: nothing to wrap
  if (declared !== null) {
    void response.body?.cancel().catch(() => {});
    throw new ResponseTooLarge(maxBytes);
  }
  if (!response.body) return response;
  let size = 0;
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > maxBytes) controller.error(new ResponseTooLarge(maxBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
  const copy = new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(copy, "url", { value: response.url });
  return copy;
}
