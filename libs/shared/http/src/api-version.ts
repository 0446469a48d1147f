/** The HTTP API's version as the OpenAPI document states it (paths carry the major: /api/v1). */
export const API_VERSION = '1.0.0';
