"""The roles a user can have."""
from enum import Enum


class Role(str, Enum):
    KOMMUNE = "kommune"
    SAGSBEHANDLER = "sagsbehandler"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"kommune": "Kommunebruger", "sagsbehandler": "Sagsbehandler", "admin": "Administrator"}[self.value]

    @property
    def is_staff(self) -> bool:
        return self is not Role.KOMMUNE
