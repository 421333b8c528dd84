-- A customer disputes an invoice from its own page (issue 20): nobody owns the dispute yet, which
-- the dashboard lists as to handle. An empty owner means that.
alter table disputes drop constraint disputes_owner_check;
alter table disputes add constraint disputes_owner_check check (length(owner) <= 200);
