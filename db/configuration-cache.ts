import { LRUCache } from 'lru-cache';
import type { ISql } from './client.js';
import { chargesPolicyOf, referenceRates, type ChargesPolicy } from './queries/late-charges.js';
import { getSettings, type CompanySettings } from './queries/settings.js';
import { stepsOfPolicy, type FollowUpStep } from './queries/steps.js';
import { payLinkKeys } from './queries/stripe.js';
import { specialTemplateFor, templateFor, type Channel, type SpecialPurpose, type StoredTemplate } from './queries/templates.js';
import type { ReferenceRate } from '../workflows/schedule/late-charges.js';

/** What a reminder is made of besides its invoice: the same for every invoice until someone changes it. */
export interface ConfigurationReads {
  settings(): Promise<CompanySettings>;
  stepsOfPolicy(policyId: number): Promise<FollowUpStep[]>;
  chargesPolicyOf(policyId: number): Promise<ChargesPolicy>;
  referenceRates(): Promise<ReferenceRate[]>;
  payLinkKeys(): Promise<{ stripeConfigured: boolean; secret: string }>;
  templateFor(stepId: number, channel: Channel, language: string, sender: { userId?: number; actor?: string }): Promise<StoredTemplate | undefined>;
  specialTemplateFor(purpose: SpecialPurpose, channel: Channel, language: string): Promise<StoredTemplate | undefined>;
}

/** Each read straight from the database: what a page shows. */
export function readConfiguration(sql: ISql): ConfigurationReads {
  return {
    settings: () => getSettings(sql),
    stepsOfPolicy: (policyId) => stepsOfPolicy(sql, policyId),
    chargesPolicyOf: (policyId) => chargesPolicyOf(sql, policyId),
    referenceRates: () => referenceRates(sql),
    payLinkKeys: () => payLinkKeys(sql),
    templateFor: (stepId, channel, language, sender) => templateFor(sql, stepId, channel, language, sender),
    specialTemplateFor: (purpose, channel, language) => specialTemplateFor(sql, purpose, channel, language),
  };
}

export interface ConfigurationCache {
  /**
   * The configuration at a version read a moment ago (`configurationVersionSql`, in the statement
   * that read the invoice's facts): what was read since it last changed is reused, the rest is read
   * (and kept). Every read through it is at least as recent as that version.
   */
  at(version: number): ConfigurationReads;
}

/**
 * The worker's reads of the configuration, kept across reminders while `configuration_version`
 * (moved by triggers on every table they read) stays where it was. The version is read before the
 * values it labels, so a value kept is never older than its label: a change committed in between
 * is read already, and the next reminder, seeing the new version, reads again.
 */
export function createConfigurationCache(sql: ISql): ConfigurationCache {
  const direct = readConfiguration(sql);
  let keptAt = 0;
  // Bounded: a key per (step, channel, language, sender) of the templates sent since the last change.
  const kept = new LRUCache<string, Promise<unknown>>({ max: 2_000 });

  function reuse(version: number): ConfigurationReads {
    const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
      // A reader that took its version before a newer one came in reads on its own.
      if (version !== keptAt) return read();
      const hit = kept.get(key) as Promise<T> | undefined;
      if (hit) return hit;
      const reading = read();
      kept.set(key, reading);
      // A failed read is not kept: the next reminder tries again.
      reading.catch(() => kept.get(key) === reading && kept.delete(key));
      return reading;
    };
    return {
      settings: () => once('settings', direct.settings),
      stepsOfPolicy: (policyId) => once(`steps/${policyId}`, () => direct.stepsOfPolicy(policyId)),
      chargesPolicyOf: (policyId) => once(`charges/${policyId}`, () => direct.chargesPolicyOf(policyId)),
      referenceRates: () => once('rates', direct.referenceRates),
      payLinkKeys: () => once('pay-link-keys', direct.payLinkKeys),
      templateFor: (stepId, channel, language, sender) =>
        once(`template/${stepId}/${channel}/${language}/${sender.userId ?? ''}/${sender.actor ?? ''}`, () => direct.templateFor(stepId, channel, language, sender)),
      specialTemplateFor: (purpose, channel, language) => once(`special/${purpose}/${channel}/${language}`, () => direct.specialTemplateFor(purpose, channel, language)),
    };
  }

  return {
    at(version) {
      if (version > keptAt) {
        keptAt = version;
        kept.clear();
      }
      return reuse(version);
    },
  };
}
