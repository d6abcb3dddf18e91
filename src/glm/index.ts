export { glmFit, type GlmFit, type GlmOptions } from './glm.js';
export { makeFamily, resolveFamilyLink, FAMILY_NAMES, type Family, type FamilyName } from './family.js';
export { makeLink, LINK_NAMES, isLinkName, type Link, type LinkName } from './link.js';
export { irls, type IrlsProblem, type IrlsResult } from './irls.js';
