"""Federal and international contacts the guidance points to.

Public offices, not per-country data. These are the starting values (from the project's reference
research); a data migration loads them into the database with their
sources (``routing/data/federal_contacts.csv``), where staff keep them like any other row, and
the engine reads them from there. A kind missing from the data falls back to these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class Contact:
    """Someone a caller can reach: ``kind`` is stable for clients; the rest is what to show."""

    kind: str
    name: str
    phone: str = ""
    url: str = ""
    phone_abroad: str = ""
    email: str = ""


# OCSS interactive map of state and tribal agencies (verified link text, OCSS).
OCSS_AGENCY_MAP = Contact(
    kind="ocss_agency_map",
    name="OCSS map of state and tribal child support agencies",
    url="https://www.acf.hhs.gov/css/map/state-and-tribal-child-support-agency-contacts",
)

# OCSS "International Parents": the countries with U.S. arrangements and their links (verified).
OCSS_INTERNATIONAL = Contact(
    kind="ocss_international",
    name="OCSS page for international parents",
    url="https://www.acf.hhs.gov/css/parents/help/international-parents",
)

# OCSS Intergovernmental Reference Guide: each state's reciprocity answers (verified).
OCSS_IRG = Contact(
    kind="ocss_irg",
    name="OCSS Intergovernmental Reference Guide",
    url="https://ocsp.acf.hhs.gov/irg/welcome.html",
)

# OCSS help with an international case: the web form USA.gov links as "contact the OCSS" and
# the e-mail of the U.S. Central Authority (HCCH listing).
OCSS_INTERNATIONAL_HELP = Contact(
    kind="ocss_international_help",
    name="OCSS help with an international case",
    url="https://ocseprod.servicenowservices.com/wf?id=webform",
    email="ocssinternational@acf.hhs.gov",
)

# HCCH list of Central Authorities under the 2007 Convention (URL pattern, partly verified).
HCCH_CENTRAL_AUTHORITIES = Contact(
    kind="hcch_central_authorities",
    name="Hague Conference list of child support Central Authorities",
    url="https://www.hcch.net/en/instruments/conventions/authorities1/?cid=131",
)

# U.S. Department of State, Retaining a Foreign Attorney (verified).
STATE_DEPARTMENT_FOREIGN_ATTORNEY = Contact(
    kind="state_department_foreign_attorney",
    name="U.S. Department of State: retaining a foreign attorney",
    url="https://travel.state.gov/content/travel/en/legal/travel-legal-considerations/"
    "internl-judicial-asst/Retaining-Foreign-Attorney.html",
)

# U.S. Department of State, Office of Children's Issues: international parental child
# abduction (verified; 24 hours for an abduction in progress).
STATE_DEPARTMENT_ABDUCTION = Contact(
    kind="state_department_abduction",
    name="U.S. Department of State, Office of Children's Issues",
    phone="1-888-407-4747",
    phone_abroad="+1-202-501-4444",
    url="https://travel.state.gov/content/travel/en/International-Parental-Child-Abduction.html",
)

DEFAULT_CONTACTS: Mapping[str, Contact] = MappingProxyType(
    {
        contact.kind: contact
        for contact in (
            OCSS_AGENCY_MAP,
            OCSS_INTERNATIONAL,
            OCSS_IRG,
            OCSS_INTERNATIONAL_HELP,
            HCCH_CENTRAL_AUTHORITIES,
            STATE_DEPARTMENT_FOREIGN_ATTORNEY,
            STATE_DEPARTMENT_ABDUCTION,
        )
    }
)
