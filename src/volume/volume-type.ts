/**
 * The one volume type Tessera's volume service has: Cinder's `__DEFAULT__`, which every Cinder
 * since Train creates. Its id is fixed so that every deployment and every response agree.
 */
export const DEFAULT_VOLUME_TYPE = {
  id: '4e8b2bd4-7c2a-4d2c-9f3a-3a1e2f0c5b61',
  name: '__DEFAULT__',
} as const;

/** Whether a requested `volume_type` (name or id) names the default type. */
export function isDefaultVolumeType(nameOrId: string): boolean {
  return nameOrId === DEFAULT_VOLUME_TYPE.name || nameOrId.toLowerCase() === DEFAULT_VOLUME_TYPE.id;
}
