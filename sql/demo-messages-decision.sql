-- campfire demo: the decision fix-permissions leaves to a person, as the demo app's owner would make it.
-- fix-permissions will not enable row level security on public.messages while anon/authenticated are
-- granted commands that no policy allows: that would lock the app out. Someone who knows the app writes
-- the policies (here: messages are visible within the caller's organization, inserts must name one),
-- then enables RLS. No DELETE policy: in this app visitors never delete messages, so RLS refuses it.
-- campfire never runs this on your database; the demo runs it to show the end state.
create policy messages_select_org on public.messages for select to anon, authenticated
  using (organization_id::text = (select current_setting('app.current_organization_id', true)));
create policy messages_insert on public.messages for insert to anon, authenticated
  with check (organization_id is not null);
create policy messages_update_org on public.messages for update to anon, authenticated
  using (organization_id::text = (select current_setting('app.current_organization_id', true)))
  with check (organization_id::text = (select current_setting('app.current_organization_id', true)));
alter table public.messages enable row level security;
-- The setting is read in a subquery, once per statement rather than per row (performance.policy-per-row-calls),
-- and messages' foreign key gets the index performance.foreign-key-indexes asks for.
create index if not exists messages_conversation_id_idx on public.messages (conversation_id);
