import { ApiError, messageOf } from "../api";
import { Notice } from "./misc";

/** A failed load: "not built yet" (404 without a route, 501, 503) reads as a notice, not an error. */
export function Unavailable({ what, error }: { what: string; error: unknown }) {
  if (error instanceof ApiError && error.unavailable)
    return (
      <Notice tone="info">
        <p>{what} is not available on this server yet.</p>
      </Notice>
    );
  return <Notice tone="error">{messageOf(error)}</Notice>;
}
