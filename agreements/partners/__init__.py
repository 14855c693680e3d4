"""The parties and their joint preparation: an offer to other regions and their answer, signing
as one of several party regions, the meetings between the parties (actions, forms, views, mail),
and the joint preparation as Malang Raya works (joint.py, joint_forms.py, joint_views.py: the
inventory of points, the heads' priorities, the joint text's versions, the region's DPRD step).
The shared record they write is in the public schema (cooperation/)."""
