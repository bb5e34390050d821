-- SSDA903 (children looked after return): the care-episode facts that the
-- return needs and Harbour did not hold, added to the existing tables.
-- Everything is additive and nullable: a legal status that is not "looked
-- after" has none of these, and older rows stay valid until someone fills
-- them in (the data-quality page lists what is missing).

-- A looked-after legal status row is one stretch under one SSDA903 legal
-- status (LS): consecutive touching rows make one period of care.
alter table legal_statuses add column ls_code text;
-- Category of need (CIN, N1-N8) at the start of the period of care.
alter table legal_statuses add column cin_code text;
-- Reason the period of care ended (REC), on the row that ends it.
alter table legal_statuses add column rec_code text;
-- Postcode of the child's home when the period of care started (HOME_POST).
alter table legal_statuses add column home_postcode text;

-- Why this placement ended (REASON_PLACE_CHANGE), when the child moved on.
alter table placements add column reason_place_change text;
-- Ofsted unique reference number of the provider (URN), where registered.
alter table placements add column urn text;

-- SSDA903 Header: whether the child is a mother (1) or not (0), unknown
-- when null, and her first child's date of birth.
alter table children add column mother integer;
alter table children add column mc_dob date;

-- Imported history: the reason for new episode the previous system gave the
-- first episode Harbour holds of a period of care that began before
-- Harbour's records (an import of one year's return starts mid-period).
alter table legal_statuses add column first_rne text;
