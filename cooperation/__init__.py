"""The parties' shared record of an agreement, in the public schema: one `Cooperation` row that
every party region's register links to (its terms, parties, shared stage, signed documents,
joint preparation), the proposals anyone sends a region, and the rules that read or write only
that record. Nothing here reads a region's schema, and no feature is imported (a layer below
the features: .importlinter).

What differs from `agreements/`: `agreements` is each region's own working record (a tenant
app: its register entry, DPRD step, notes, TKKSD reviews, monitoring), and its actions decide
and write through both; `cooperation` holds what all parties see alike. Where both have a module
on the same subject, cooperation's says so with `shared_`:

- `shared_proposals.py`: the proposer's side (submit, answer the office, follow the proposal);
  the office's triage is `agreements/proposals/triage.py`.
- `shared_partners.py`: which regions are parties, who has answered the offer and who signed;
  the offers, signing and meetings as a region does them are `agreements/partners/actions.py`.
- `shared_joint.py`: reading the joint preparation (inventory, priorities, text versions and
  their difference); its writes are `agreements/partners/joint.py`.
"""
