/** Who is on call for a window. Config's rotation by default; a real on-call system can plug in here. */
export interface OnCallProvider {
  /** Person id (Entra object id) on call when the window starts, if anyone is known. */
  onCallAt(start: Date): Promise<string | undefined>;
}

export interface RotationSpec {
  /** Person ids in rotation order. */
  readonly rotation: readonly string[];
  /** First day of the first shift, "2026-01-05" (taken as 00:00 UTC). */
  readonly start: string;
  readonly days: number;
}

export function rotationOnCallProvider(spec: RotationSpec | undefined): OnCallProvider {
  return {
    async onCallAt(start: Date) {
      if (!spec || spec.rotation.length === 0) return undefined;
      const shiftMs = spec.days * 24 * 60 * 60 * 1000;
      const elapsed = start.getTime() - Date.parse(`${spec.start}T00:00:00Z`);
      const shift = Math.floor(elapsed / shiftMs);
      const index = ((shift % spec.rotation.length) + spec.rotation.length) % spec.rotation.length;
      return spec.rotation[index];
    },
  };
}
