export const PLANS_SERVICE = Symbol('PLANS_SERVICE');
export const CLOCK = Symbol('CLOCK');
export const PARSE_POOL = Symbol('PARSE_POOL');
export const IMPORT_JOBS = Symbol('IMPORT_JOBS');
export const CITIES_SERVICE = Symbol('CITIES_SERVICE');
export const DIRECTORY_SERVICE = Symbol('DIRECTORY_SERVICE');
