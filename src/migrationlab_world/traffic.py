"""The deterministic gravity terms of air traffic between two countries.

Shared by the hidden truth and the passenger instrument, so that both use one formula:
:mod:`migrationlab_world.world` plants its corridor surge on a pair whose expected traffic
the passenger statistics publish, and :mod:`migrationlab_world.passengers` simulates the
traffic itself with the same terms plus its random effects. The module holds no
randomness and imports nothing from the generator: it sits below both.

Annual passengers of a pair (both directions), the gravity part::

    log T = a_t + b_pop (log pop_r + log pop_p) + b_gdp (log gdp_r + log gdp_p)
            - delta log d + log(1 - exp(-(d/d0)^2)) + c contiguity + gamma intra_eu
            + log att_r + log att_p + eps log(1 + S) + u_rp + v_rpt

pop in millions, gdp per capita in thousand USD (PPP), d in km between capitals, S the
bilateral diaspora (both directions) at the end of the previous year;
log att = leisure premium (:data:`LEISURE_DESTINATIONS`) + Normal(0, attractiveness_sd).
"""

from __future__ import annotations

import numpy as np

__all__ = ["GRAVITY", "LEISURE_DESTINATIONS", "expected_log_traffic", "gravity_terms"]

#: Planted parameters of the gravity law (written to parameters.json by the passengers).
GRAVITY = {
    "log_population_each": 0.7,
    "log_gdp_per_capita_each": 0.8,
    "log_distance": -1.0,
    "short_haul_scale_km": 400.0,
    "contiguity": -1.0,
    "leisure_destination": 1.2,
    "log1p_diaspora_stock": 0.35,
    "attractiveness_sd": 0.4,
    "pair_effect_sd": 0.35,
    "year_noise_sd": 0.05,
    "year_noise_ar1": 0.7,
}
#: Direct flights stop (EU airspace closed to Russian carriers, Ukrainian airspace closed):
#: (year, month). The truth plants its surge only where passengers keep flying.
AIRSPACE_CLOSURES = {"RUS": (2022, 3), "UKR": (2022, 3)}
#: Sun-and-beach destinations of European holidaymakers: our choice, to give the world
#: the north-to-south tourism of real European air traffic.
LEISURE_DESTINATIONS = ("CYP", "EGY", "ESP", "GRC", "HRV", "ITA", "MAR", "MLT", "PRT", "TUN", "TUR")


def gravity_terms(pop_a_m, pop_b_m, gdppc_a_k, gdppc_b_k, dist_km, contiguity) -> np.ndarray:
    """Population, income, distance, short-haul and contiguity terms of the gravity law.

    Population in millions, GDP per person in thousand USD (PPP), distance in km (at
    least 1), contiguity 0/1; arrays broadcast against each other.
    """
    g = GRAVITY
    return (
        g["log_population_each"] * (np.log(pop_a_m) + np.log(pop_b_m))
        + g["log_gdp_per_capita_each"] * (np.log(gdppc_a_k) + np.log(gdppc_b_k))
        + g["log_distance"] * np.log(dist_km)
        + np.log1p(-np.exp(-((dist_km / g["short_haul_scale_km"]) ** 2)))
        + g["contiguity"] * np.asarray(contiguity, float)
    )


def expected_log_traffic(
    pop_a_m, pop_b_m, gdppc_a_k, gdppc_b_k, dist_km, contiguity, diaspora, n_leisure
) -> np.ndarray:
    """The deterministic part of the gravity law of annual passengers, up to a constant.

    Population in millions, GDP per person in thousand USD (PPP), distance in km between
    capitals, contiguity 0/1, diaspora in persons (both directions), ``n_leisure`` how many
    of the two ends are sun-and-beach destinations (0, 1 or 2). Without the random
    attractiveness and pair effects. The world uses it to plant its corridor surge on a
    pair that the passenger statistics publish.
    """
    g = GRAVITY
    dist_km = np.maximum(np.asarray(dist_km, float), 1.0)
    return (
        gravity_terms(pop_a_m, pop_b_m, gdppc_a_k, gdppc_b_k, dist_km, contiguity)
        + g["leisure_destination"] * np.asarray(n_leisure, float)
        + g["log1p_diaspora_stock"] * np.log1p(diaspora)
    )
