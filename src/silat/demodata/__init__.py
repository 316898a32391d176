"""Realistic demo data at scale (``silat demo --dossiers N --seed S``).

Every dossier goes through the code paths real use takes: the intake
schema and ``create_application``, uploads checked by ``uploads.inspect``
and stored by ``store_document``, the verification checklist, workflow
transitions, recommendation requests and signatures, fees and payments,
and permit issue with its signed PDF. Only the actors are simulated (a
``SystemRequest`` carrying a generated user) and the clock: each step
runs inside ``time_machine.travel`` at its simulated date, so history,
letters and permits carry dates spread over ten years while production
code keeps calling the real clock.
"""
