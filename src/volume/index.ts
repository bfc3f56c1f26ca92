// The volume module's boundary: other modules import from here only.
export { VolumeService, type VolumeServiceDeps } from './volume-service.js';
export type {
  ConnectionInfo,
  NewVolumeValues,
  Volume,
  VolumeAttachment,
  VolumeAttachmentSummary,
  VolumeClient,
  VolumeConnector,
} from './volume-client.js';
export { CLIENT_FAULT_POINTS } from './local-volume-client.js';
export { BACKEND_FAULT_POINTS } from './volume-backend.js';
export { VolumeOverLimitError } from './volume-errors.js';
export { VOLUME_STATUSES, ATTACH_STATUSES, type AttachStatus, type VolumeStatus } from './volume-status.js';
export { VolumeRule, volumeRuleDefaults } from './volume-policy-rules.js';
export { VOLUME_MAX_VERSION, VOLUME_MIN_VERSION } from './volume-microversion.js';
