// Our name and version on the wire (x-astro-client-identifier / -version, user-agent), so
// Astronomer's logs tell this action apart from its own deploy-action. The build refuses
// to bundle when ACTION_VERSION is not package.json's version.
export const CLIENT_IDENTIFIER = 'astro-deploy-action';
export const ACTION_VERSION = '1.0.0';
