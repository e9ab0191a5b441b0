/** An s3 source's config: the schema lives in shared/core (the studio form is generated from it). */
export { s3ConfigSchema, type S3SourceConfig, type S3SourceConfigInput } from '../../../core/sources/s3.js';
