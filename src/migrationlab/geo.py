"""Geometry on the sphere: the one great-circle distance of the course.

Every distance between countries, capitals and airports (the gravity models of chapter 3,
the passenger network of chapter 5, and the generator of the synthetic world) comes from
:func:`great_circle_km`.

References
----------
Moritz, H. (2000). Geodetic Reference System 1980. *Journal of Geodesy* 74, 128-133.
https://doi.org/10.1007/s001900050278

Sinnott, R. W. (1984). Virtues of the haversine. *Sky and Telescope* 68(2), 159.
"""

from __future__ import annotations

import numpy as np

__all__ = ["EARTH_RADIUS_KM", "great_circle_km"]

#: Mean Earth radius in km (IUGG mean radius R1 = 6,371.0088 km; Moritz 2000), the radius of
#: the haversine formula.
EARTH_RADIUS_KM = 6371.0088


def great_circle_km(lat1, lon1, lat2, lon2, *, radius_km: float = EARTH_RADIUS_KM):
    """Great-circle distance between points given in degrees, in km (haversine formula).

    ``d = 2 R arcsin( sqrt( sin^2((phi2 - phi1) / 2)
    + cos(phi1) cos(phi2) sin^2((lambda2 - lambda1) / 2) ) )``, with latitudes ``phi`` and
    longitudes ``lambda`` in radians and the Earth taken as a sphere of radius ``R``
    (error under 0.5 % against the ellipsoid).

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : float or array-like of float
        Latitudes (-90 to 90) and longitudes (-180 to 180) in degrees (WGS 84), of equal
        shapes or broadcastable.
    radius_km : float
        Radius of the sphere, km; the mean Earth radius by default.

    Returns
    -------
    float or numpy.ndarray
        Distances in km.

    References
    ----------
    Sinnott, R. W. (1984). Virtues of the haversine. *Sky and Telescope* 68(2), 159.

    Examples
    --------
    >>> round(float(great_circle_km(0.0, 0.0, 0.0, 90.0)), 1)  # a quarter of the equator
    10007.6
    """
    lat1, lon1, lat2, lon2 = (np.asarray(v, dtype=float) for v in (lat1, lon1, lat2, lon2))
    for name, lat in (("lat1", lat1), ("lat2", lat2)):
        if np.any(np.abs(lat) > 90):
            raise ValueError(
                f"great_circle_km(): {name} has values outside -90..90 degrees; did you pass "
                "longitude and latitude in the wrong order? The order is lat1, lon1, lat2, lon2."
            )
    phi1, lam1, phi2, lam2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = (
        np.sin((phi2 - phi1) / 2) ** 2
        + np.cos(phi1) * np.cos(phi2) * np.sin((lam2 - lam1) / 2) ** 2
    )
    out = 2.0 * radius_km * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return float(out) if out.ndim == 0 else out
