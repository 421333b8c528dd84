-- Pay links (issue 6): reminders carry a link to pay online through Stripe Checkout. The link names
-- the invoice (or the customer, for a statement) and is signed with this secret, made on first start.
alter table settings add column pay_link_secret text;
