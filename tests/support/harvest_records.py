"""Small records in the shapes partners send them, for harvester tests: IMS legacy LOM, oai_dc, quirky LOM."""
from __future__ import annotations

from metadata.namespaces import DC, IMSMD_V1P2, LOM, OAI_DC


def ims_record(title: str) -> bytes:
    """An IMS Meta-data 1.2 record (lower-case names, langstrings) that normalises to valid LOM."""
    return f"""<imsmd:lom xmlns:imsmd="{IMSMD_V1P2}">
  <imsmd:general>
    <imsmd:title><imsmd:langstring xml:lang="en">{title}</imsmd:langstring></imsmd:title>
    <imsmd:language>en</imsmd:language>
  </imsmd:general>
  <imsmd:lifecycle><imsmd:status><imsmd:source><imsmd:langstring xml:lang="x-none">LOMv1.0</imsmd:langstring>
    </imsmd:source><imsmd:value><imsmd:langstring xml:lang="x-none">Final</imsmd:langstring></imsmd:value>
  </imsmd:status></imsmd:lifecycle>
</imsmd:lom>""".encode()


def dc_record(title: str, identifier: str = "https://oer.example.org/r/1") -> bytes:
    """An `oai_dc` record as a DC-only partner sends it."""
    return f"""<oai_dc:dc xmlns:oai_dc="{OAI_DC}" xmlns:dc="{DC}">
  <dc:title xml:lang="en">{title}</dc:title>
  <dc:identifier>{identifier}</dc:identifier>
  <dc:language>en</dc:language>
  <dc:type>exercise</dc:type>
</oai_dc:dc>""".encode()


def lom_record(title: str, extra: str = "") -> bytes:
    """A minimal IEEE LOM record; `extra` is spliced into its `general` category."""
    return f"""<lom xmlns="{LOM}"><general><title><string language="en">{title}</string></title>{extra}</general>
</lom>""".encode()


def invalid_lom_record() -> bytes:
    """IEEE LOM that the loose binding refuses (an element LOM does not define, in the LOM namespace)."""
    return f'<lom xmlns="{LOM}"><general><colour>green</colour></general></lom>'.encode()
