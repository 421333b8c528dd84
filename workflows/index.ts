export { invoiceDunning } from './invoice-dunning.js';
