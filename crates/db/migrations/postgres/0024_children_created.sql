-- "Awaiting allocation" lists the newest children without an open
-- allocation: walk children by creation time and stop at the page's
-- length, instead of sorting every child (a national dataset has a million).
create index children_created on children (created_at);
