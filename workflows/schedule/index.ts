export * from './calendar-date.js';
export * from './holidays.js';
export * from './business-days.js';
export * from './zoned-time.js';
export * from './payment-terms.js';
export * from './plan.js';
export * from './row-colour.js';
export * from './dunnable.js';
