"""Quebec Law 25 (Act respecting the protection of personal information in the private sector):
the privacy page, a person's own data (access and portability), consents to optional
communications, the retention policy, and the register of confidentiality incidents.

Lower layer: higher apps contribute their part through the registries in `registry.py`
(what a person's data holds, what anonymising a person ends) from their AppConfig.ready."""
