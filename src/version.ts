/** The SDK's name and version, for the User-Agent header. Kept in sync with package.json by a test. */
export const SDK_NAME = "zcrm-typed";
export const SDK_VERSION = "0.1.0";
export const USER_AGENT = `${SDK_NAME}/${SDK_VERSION} (node ${process.versions.node})`;
