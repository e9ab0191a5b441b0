/** A git source's config: the schema lives in shared/core (the studio form is generated from it). */
export { gitConfigSchema, type GitSourceConfig } from '../../../core/sources/git.js';
