/** Injection token for the validated configuration (src/infrastructure/config/config.ts) the app was built with. */
export const APP_CONFIG = Symbol('AppConfig');
