-- Named payment terms (issue 19, source 001): each computes an invoice's due date, or its
-- installments, from the issue date. A customer may have default terms; an invoice keeps the terms
-- it was computed from. Removing terms leaves the dates already computed as they are.
create table payment_terms (
  id         bigint generated always as identity primary key,
  name       text not null unique check (length(name) between 1 and 120),
  -- {"kind":"due","rule":DueRule} or {"kind":"installments","installments":[InstallmentTerm…]}
  rule       jsonb not null,
  created_at timestamptz not null default now()
);
alter table customers add column payment_terms_id bigint references payment_terms on delete set null;
alter table invoices add column payment_terms_id bigint references payment_terms on delete set null;

insert into payment_terms (name, rule) values
  ('45 jours fin de mois', '{"kind":"due","rule":{"kind":"days_end_of_month","days":45}}'),
  ('30 % à la commande, solde à 30 jours fin de mois', '{"kind":"installments","installments":[
    {"percent":30,"rule":{"kind":"at_order"},"label":"Acompte à la commande"},
    {"percent":70,"rule":{"kind":"days_end_of_month","days":30},"label":"Solde à 30 jours fin de mois"}]}'),
  ('Prélèvement en 12 échéances', '{"kind":"installments","installments":[
    {"percent":8.33,"rule":{"kind":"days_end_of_month","days":0},"label":"Échéance 1/12"},
    {"percent":8.33,"rule":{"kind":"days_end_of_month","days":1},"label":"Échéance 2/12"},
    {"percent":8.33,"rule":{"kind":"days_end_of_month","days":1},"label":"Échéance 3/12"},
    {"percent":8.33,"rule":{"kind":"days_end_of_month","days":1},"label":"Échéance 4/12"},
    {"percent":8.33,"rule":{"kind":"days_end_of_month","days":1},"label":"Échéance 5/12"},
    {"percent":8.33,"rule":{"kind":"days_end_of_month","days":1},"label":"Échéance 6/12"},
    {"percent":8.33,"rule":{"kind":"days_end_of_month","days":1},"label":"Échéance 7/12"},
    {"percent":8.33,"rule":{"kind":"days_end_of_month","days":1},"label":"Échéance 8/12"},
    {"percent":8.33,"rule":{"kind":"days_end_of_month","days":1},"label":"Échéance 9/12"},
    {"percent":8.33,"rule":{"kind":"days_end_of_month","days":1},"label":"Échéance 10/12"},
    {"percent":8.33,"rule":{"kind":"days_end_of_month","days":1},"label":"Échéance 11/12"},
    {"percent":8.37,"rule":{"kind":"days_end_of_month","days":1},"label":"Échéance 12/12"}]}');
