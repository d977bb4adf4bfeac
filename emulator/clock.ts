// The emulator's notion of "now". PIM behaviour depends on time (expiry, 5-minute rules, the 45-day
// request purge), so tests must be able to freeze and move it. Tokens deliberately ignore this
// clock (see auth.ts): moving the tenant ten days ahead must not invalidate a test's bearer token.

export type ClockListener = (now: Date) => void;

export class Clock {
  /** When frozen, `fixed` is the current instant; otherwise time flows from the host clock plus `offsetMs`. */
  private fixed: number | null;
  private offsetMs = 0;
  private readonly listeners: ClockListener[] = [];

  constructor(now?: Date) {
    this.fixed = now ? now.getTime() : null;
  }

  now(): Date {
    return new Date(this.fixed ?? Date.now() + this.offsetMs);
  }

  nowMs(): number {
    return this.fixed ?? Date.now() + this.offsetMs;
  }

  /** Jump to an instant. A frozen clock stays frozen; a flowing clock keeps flowing from there. */
  set(d: Date): void {
    if (Number.isNaN(d.getTime())) throw new Error("clock.set: invalid date");
    if (this.fixed !== null) this.fixed = d.getTime();
    else this.offsetMs = d.getTime() - Date.now();
    this.emit();
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms)) throw new Error("clock.advance: ms must be a finite number");
    if (this.fixed !== null) this.fixed += ms;
    else this.offsetMs += ms;
    this.emit();
  }

  isFrozen(): boolean {
    return this.fixed !== null;
  }

  onChange(listener: ClockListener): void {
    this.listeners.push(listener);
  }

  private emit(): void {
    const now = this.now();
    for (const l of this.listeners) l(now);
  }
}

/** Graph's `innerError.date` has no fraction and no zone designator (graph-pim.md §5). */
export function innerErrorDate(d: Date): string {
  return d.toISOString().slice(0, 19);
}

/** Graph DateTimeOffset values are emitted in UTC with a `Z`. */
export function iso(d: Date | number): string {
  return new Date(d).toISOString().replace(".000Z", "Z");
}
