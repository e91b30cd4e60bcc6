"""One module per vendor dialect. ALL_DIALECTS is also the order in which body signatures are sniffed."""

from streams.parse.dialects import (
    cisco_asa,
    cisco_ios,
    fortigate,
    juniper,
    libreswan,
    meraki,
    mikrotik,
    paloalto,
    strongswan,
)
from streams.parse.patterns import Dialect

# Most specific signatures first: ASA before IOS (both start with %), strongSwan last (its
# thread prefix is the loosest signature).
ALL_DIALECTS: tuple[Dialect, ...] = (
    cisco_asa.DIALECT,
    cisco_ios.DIALECT,
    fortigate.DIALECT,
    paloalto.DIALECT,
    meraki.DIALECT,
    juniper.DIALECT,
    mikrotik.DIALECT,
    libreswan.DIALECT,
    strongswan.DIALECT,
)
