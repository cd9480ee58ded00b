// The push stage's entry: the policy, the tags, the blob upload, the push and the read-back.
export { decidePush, parseBlobUpload, type BlobUploadTiming, type PushDecision } from './policy.js'
export { layoutContent, readLayoutContent, type LayoutContent } from './layout-content.js'
export { needsExistingTags, planTags, type TagPlan } from './tags.js'
export {
  blobUploader,
  startBlobUpload,
  uploadAsWritten,
  type BlobUpload,
  type BlobUploader,
} from './upload.js'
export { pushLayout, PushIncomplete, type LayoutToPush } from './push-layout.js'
export { pushVerified } from './ship-push.js'
export type { PushStep } from './steps.js'
export { verifyPushed, type VerifiedReference } from './verify.js'
