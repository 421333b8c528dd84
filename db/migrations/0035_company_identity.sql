-- The company's legal identity, printed on every letter and e-mail footer as French law asks of a
-- company's business letters (Code de commerce R123-237): legal form, share capital, SIRET, RCS, VAT.
alter table settings
  add column company_legal_form text not null default '',
  add column company_capital text not null default '',
  add column company_siret text not null default '' check (company_siret ~ '^([0-9]{14})?$'),
  add column company_rcs text not null default '',
  add column company_vat text not null default '' check (company_vat ~ '^([A-Z]{2}[0-9A-Z]{2,13})?$');
