"""A synthetic network of accounts sharing migration-related posts, with planted echo chambers.

Accounts belong to planted communities, each with a stance on migration. They follow each
other according to a degree-corrected stochastic block model: following is far more likely
within a community than across, and some accounts (news outlets, organisations, popular
individuals) attract many more followers than others. Messages then spread along the
follow edges by an independent-cascade process in continuous time: when an account shares
a message, each of its followers gets one chance to reshare it, with a higher probability
when the follower belongs to the community the message came from.

Everything is identified by numbers only: there are no account names and no texts.

The three tables, with the planted truth in ``ground_truth/parameters.json`` under
``"discourse_network"``:

``discourse_accounts``  one row per account: planted community and stance, type, counts
``discourse_follows``   one row per follow edge (``follower_id`` follows ``followed_id``)
``discourse_shares``    one row per share: the original post (``step`` 0) and every reshare,
                        with the account it was reshared from and when

Usage
-----
>>> resources, planted, calibration = generate_discourse(seed=2026)   # doctest: +SKIP
>>> [r.name for r in resources]                                       # doctest: +SKIP
['discourse_accounts', 'discourse_follows', 'discourse_shares']
"""

from __future__ import annotations

import heapq

import networkx as nx
import numpy as np
import pandas as pd

from migrationlab_world._io import Resource, calibration_row, datasheet

__all__ = [
    "COMMUNITIES",
    "TOPICS",
    "adjusted_rand_index",
    "follow_graph",
    "generate_discourse",
    "within_community_share",
]

#: The planted communities: (stance, size). Community ids are the positions, 0..4.
COMMUNITIES: tuple[tuple[str, int], ...] = (
    ("restrictive", 560),
    ("humanitarian", 520),
    ("economic", 380),
    ("news", 400),
    ("bridging", 140),
)
STANCES = tuple(stance for stance, _ in COMMUNITIES)
ACCOUNT_TYPES = ("individual", "organisation", "news outlet")

#: Topics of the messages (labels only, no texts) and how likely each stance posts on each.
TOPICS = (
    "border control",
    "asylum procedures",
    "rescue at sea",
    "refugee reception",
    "labour shortages",
    "remittances",
    "integration",
    "migration statistics",
)
_TOPIC_WEIGHTS = {
    "restrictive": (0.40, 0.25, 0.05, 0.05, 0.05, 0.00, 0.10, 0.10),
    "humanitarian": (0.05, 0.20, 0.30, 0.25, 0.05, 0.00, 0.10, 0.05),
    "economic": (0.05, 0.05, 0.00, 0.05, 0.45, 0.20, 0.10, 0.10),
    "news": (0.15, 0.15, 0.10, 0.10, 0.10, 0.05, 0.10, 0.25),
    "bridging": (0.05, 0.10, 0.10, 0.15, 0.10, 0.05, 0.35, 0.10),
}

#: Probability that a member of community r (row, follower) follows a given member of
#: community s (column, followed), before the degree correction. Restrictive and
#: humanitarian accounts almost never follow each other; everyone follows some news; the
#: bridging group follows, and is followed by, every community.
FOLLOW_BLOCK_PROBABILITIES = (
    (0.0250, 0.0003, 0.0010, 0.0040, 0.0030),
    (0.0003, 0.0250, 0.0015, 0.0040, 0.0030),
    (0.0010, 0.0015, 0.0300, 0.0040, 0.0030),
    (0.0010, 0.0010, 0.0010, 0.0250, 0.0030),
    (0.0050, 0.0050, 0.0050, 0.0060, 0.0500),
)

#: Degree correction: followed accounts have a popularity, followers an activity, both
#: log-normal with mean 1 times a multiplier by account type.
POPULARITY_SIGMA = 1.0
ACTIVITY_SIGMA = 0.5
POPULARITY_BY_TYPE = {"individual": 1.0, "organisation": 3.0, "news outlet": 8.0}
SHARE_OF_TYPE = {"organisation": 0.05, "news outlet in the news community": 0.15}

#: Independent cascade: chance that a follower reshares what an account it follows
#: shared, by the follower's community relative to the message's community of origin;
#: bridging accounts reshare messages of any origin with one probability. Each message
#: has an appeal (log-normal, median APPEAL_MEDIAN) multiplying these probabilities.
RESHARE_PROBABILITY = {"same_community": 0.05, "other_community": 0.006, "bridging": 0.02}
APPEAL_MEDIAN = 0.7
APPEAL_SIGMA = 0.6

N_MESSAGES = 300
#: Authors are drawn with weight popularity**AUTHOR_POPULARITY_EXPONENT x type weight.
AUTHOR_POPULARITY_EXPONENT = 0.5
AUTHOR_WEIGHT_BY_TYPE = {"individual": 1.0, "organisation": 3.0, "news outlet": 5.0}
#: Reshare delays are log-normal (hours); posts are spread uniformly over the window, and
#: shares after its end are not recorded (the collection stopped).
DELAY_MEDIAN_HOURS = 1.5
DELAY_SIGMA = 1.2
WINDOW_START = pd.Timestamp("2025-03-03T00:00:00Z")
WINDOW_DAYS = 28


def generate_discourse(seed: int) -> tuple[list[Resource], dict, list[dict]]:
    """Generate the discourse network: accounts, follow edges and message cascades.

    Parameters
    ----------
    seed : int
        The ``discourse`` part's seed, ``seeds.part_seed(seed, "discourse")`` in ``make data``;
        the seed of ``numpy.random.default_rng``; all randomness comes from it.

    Returns
    -------
    resources : list of Resource
        ``discourse_accounts``, ``discourse_follows``, ``discourse_shares`` (synthetic).
    planted_parameters : dict
        The planted truth: community sizes and stances, block probabilities, degree
        correction, reshare probabilities, message and timing parameters.
    calibration_rows : list of dict
        Design checks (keys ``target``, ``source``, ``published_value``,
        ``achieved_value``, ``tolerance``, ``within_tolerance``): modularity of the planted
        partition, share of reshares within the community of origin, agreement of Louvain
        communities with the planted ones. No published value is targeted.
    """
    rng = np.random.default_rng(seed)
    accounts = _accounts(rng)
    follows = _follows(accounts, rng)
    shares = _cascades(accounts, follows, rng)
    accounts = _add_counts(accounts, follows, shares)

    planted = _planted_parameters(seed)
    calibration = _calibration(accounts, follows, shares, seed)
    return _resources(accounts, follows, shares), planted, calibration


# --- generation ------------------------------------------------------------------------------


def _accounts(rng: np.random.Generator) -> pd.DataFrame:
    """Planted community, stance, type, popularity and activity of every account."""
    sizes = [size for _, size in COMMUNITIES]
    community = np.repeat(np.arange(len(sizes)), sizes)
    n = community.size
    news = STANCES.index("news")
    u = rng.random(n)
    account_type = np.where(u < SHARE_OF_TYPE["organisation"], "organisation", "individual")
    is_outlet = (community == news) & (u >= 1 - SHARE_OF_TYPE["news outlet in the news community"])
    account_type = np.where(is_outlet, "news outlet", account_type)

    def lognormal_mean_one(sigma: float) -> np.ndarray:
        return rng.lognormal(-(sigma**2) / 2, sigma, n)

    type_multiplier = pd.Series(account_type).map(POPULARITY_BY_TYPE).to_numpy()
    popularity = lognormal_mean_one(POPULARITY_SIGMA) * type_multiplier
    activity = lognormal_mean_one(ACTIVITY_SIGMA)
    return pd.DataFrame(
        {
            "account_id": np.arange(1, n + 1),
            "community": community,
            "stance": np.array(STANCES)[community],
            "account_type": account_type,
            "_popularity": popularity,
            "_activity": activity,
        }
    )


def _follows(accounts: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Follow edges of a degree-corrected, directed stochastic block model.

    P(i follows j) = min(1, B[c_i, c_j] * activity_i * popularity_j), no self-follows.
    """
    block = np.asarray(FOLLOW_BLOCK_PROBABILITIES)
    c = accounts["community"].to_numpy()
    prob = block[c][:, c]
    prob *= accounts["_activity"].to_numpy()[:, None]
    prob *= accounts["_popularity"].to_numpy()[None, :]
    np.minimum(prob, 1.0, out=prob)
    np.fill_diagonal(prob, 0.0)
    follower, followed = np.nonzero(rng.random(prob.shape) < prob)
    ids = accounts["account_id"].to_numpy()
    return pd.DataFrame({"follower_id": ids[follower], "followed_id": ids[followed]})


def _cascades(
    accounts: pd.DataFrame, follows: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Independent cascades of N_MESSAGES messages in continuous time.

    An account that shares a message exposes each of its followers once; a follower not
    yet sharing reshares with the probability for its community, times the message's
    appeal, after a log-normal delay. The earliest successful exposure wins (it gives the
    ``shared_from`` account). Shares after the end of the window are dropped.
    """
    n = len(accounts)
    community = accounts["community"].to_numpy()
    bridging = STANCES.index("bridging")
    # followers[k] = sorted indices of the accounts following account k (index = id - 1)
    order = np.lexsort((follows["follower_id"].to_numpy(), follows["followed_id"].to_numpy()))
    followed_idx = follows["followed_id"].to_numpy()[order] - 1
    follower_idx = follows["follower_id"].to_numpy()[order] - 1
    starts = np.searchsorted(followed_idx, np.arange(n + 1))

    type_weight = accounts["account_type"].map(AUTHOR_WEIGHT_BY_TYPE).to_numpy()
    weight = accounts["_popularity"].to_numpy() ** AUTHOR_POPULARITY_EXPONENT * type_weight
    authors = rng.choice(n, size=N_MESSAGES, p=weight / weight.sum())
    window_hours = WINDOW_DAYS * 24.0
    posted = np.sort(rng.uniform(0.0, window_hours, N_MESSAGES))
    appeal = APPEAL_MEDIAN * rng.lognormal(0.0, APPEAL_SIGMA, N_MESSAGES)
    topic_idx = np.array(
        [rng.choice(len(TOPICS), p=_TOPIC_WEIGHTS[STANCES[community[a]]]) for a in authors]
    )
    p_same, p_other, p_bridge = (
        RESHARE_PROBABILITY[k] for k in ("same_community", "other_community", "bridging")
    )
    delay_mu = np.log(DELAY_MEDIAN_HOURS)

    rows = []
    for m in range(N_MESSAGES):
        origin = community[authors[m]]
        p_by_account = np.where(community == origin, p_same, p_other)
        p_by_account = np.where(community == bridging, p_bridge, p_by_account)
        p_by_account = np.minimum(1.0, p_by_account * appeal[m])
        shared = np.zeros(n, dtype=bool)
        # heap entries: (time, sequence number, account, parent account or -1, step)
        heap = [(posted[m], 0, authors[m], -1, 0)]
        seq = 1
        while heap:
            t, _, k, parent, step = heapq.heappop(heap)
            if shared[k] or t > window_hours:
                continue
            shared[k] = True
            rows.append((m + 1, k + 1, parent + 1 if parent >= 0 else 0, step, t))
            candidates = follower_idx[starts[k] : starts[k + 1]]
            candidates = candidates[~shared[candidates]]
            hits = candidates[rng.random(candidates.size) < p_by_account[candidates]]
            delays = rng.lognormal(delay_mu, DELAY_SIGMA, hits.size)
            for f, d in zip(hits, delays, strict=True):
                heapq.heappush(heap, (t + d, seq, f, k, step + 1))
                seq += 1

    shares = pd.DataFrame(
        rows, columns=["message_id", "account_id", "shared_from", "step", "_hours"]
    )
    shares = shares.sort_values(["message_id", "_hours", "account_id"], ignore_index=True)
    shares["shared_from"] = shares["shared_from"].astype("Int64").replace(0, pd.NA)
    shares["shared_at"] = (
        WINDOW_START + pd.to_timedelta(shares.pop("_hours").round(4), unit="h")
    ).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    shares["origin_account_id"] = authors[shares["message_id"] - 1] + 1
    shares["origin_community"] = community[authors[shares["message_id"] - 1]]
    shares["topic"] = np.array(TOPICS)[topic_idx[shares["message_id"] - 1]]
    return shares


def _add_counts(accounts: pd.DataFrame, follows: pd.DataFrame, shares: pd.DataFrame):
    """Observable counts per account; drops the hidden popularity and activity."""
    ids = accounts["account_id"]
    count = {
        "followers": follows["followed_id"].value_counts(),
        "following": follows["follower_id"].value_counts(),
        "messages_posted": shares.loc[shares["step"] == 0, "account_id"].value_counts(),
        "reshares": shares.loc[shares["step"] > 0, "account_id"].value_counts(),
    }
    out = accounts.drop(columns=["_popularity", "_activity"])
    for column, counts in count.items():
        out[column] = ids.map(counts).fillna(0).astype("int64")
    return out


def follow_graph(follows: pd.DataFrame, accounts: pd.DataFrame | None = None) -> nx.Graph:
    """Undirected simple graph of the follow edges, for community detection.

    Parameters
    ----------
    follows : DataFrame
        ``follower_id``, ``followed_id`` as in ``discourse_follows``.
    accounts : DataFrame, optional
        If given, every account is a node (in id order), also those without edges.

    Returns
    -------
    networkx.Graph
        Mutual follows become one edge.

    Examples
    --------
    >>> import pandas as pd
    >>> g = follow_graph(pd.DataFrame({"follower_id": [1, 2], "followed_id": [2, 1]}))
    >>> g.number_of_edges()
    1
    """
    graph = nx.Graph()
    if accounts is not None:
        graph.add_nodes_from(accounts["account_id"].tolist())
    graph.add_edges_from(
        zip(follows["follower_id"].tolist(), follows["followed_id"].tolist(), strict=True)
    )
    return graph


# --- truth and checks ------------------------------------------------------------------------


def _planted_parameters(seed: int) -> dict:
    return {
        "seed": seed,
        "n_accounts": sum(size for _, size in COMMUNITIES),
        "communities": [
            {"community": i, "stance": stance, "size": size}
            for i, (stance, size) in enumerate(COMMUNITIES)
        ],
        "follow_block_probabilities": {
            "rows": "follower community",
            "columns": "followed community",
            "values": [list(row) for row in FOLLOW_BLOCK_PROBABILITIES],
        },
        "degree_correction": {
            "popularity_lognormal_sigma": POPULARITY_SIGMA,
            "activity_lognormal_sigma": ACTIVITY_SIGMA,
            "popularity_multiplier_by_type": dict(POPULARITY_BY_TYPE),
            "share_of_organisations": SHARE_OF_TYPE["organisation"],
            "share_of_news_outlets_in_news_community": SHARE_OF_TYPE[
                "news outlet in the news community"
            ],
        },
        "reshare_probabilities": dict(RESHARE_PROBABILITY),
        "message_appeal": {"lognormal_median": APPEAL_MEDIAN, "lognormal_sigma": APPEAL_SIGMA},
        "n_messages": N_MESSAGES,
        "author_weight": {
            "popularity_exponent": AUTHOR_POPULARITY_EXPONENT,
            "multiplier_by_type": dict(AUTHOR_WEIGHT_BY_TYPE),
        },
        "topic_probabilities_by_stance": {
            stance: dict(zip(TOPICS, weights, strict=True))
            for stance, weights in _TOPIC_WEIGHTS.items()
        },
        "reshare_delay_hours": {"lognormal_median": DELAY_MEDIAN_HOURS, "sigma": DELAY_SIGMA},
        "observation_window": {
            "start": WINDOW_START.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "days": WINDOW_DAYS,
            "shares_after_end": "not recorded",
        },
    }


def within_community_share(accounts: pd.DataFrame, shares: pd.DataFrame) -> float:
    """Share of reshares made by accounts of the message's community of origin.

    Parameters
    ----------
    accounts : DataFrame
        ``account_id`` and ``community``, as in ``discourse_accounts``.
    shares : DataFrame
        ``account_id``, ``step`` and ``origin_community``, as in ``discourse_shares``;
        only reshares (``step`` > 0) count.

    Returns
    -------
    float
        Between 0 and 1; the rest of the reshares cross communities.
    """
    community = accounts.set_index("account_id")["community"]
    reshares = shares[shares["step"] > 0]
    return float((reshares["account_id"].map(community) == reshares["origin_community"]).mean())


def adjusted_rand_index(labels_true, labels_found) -> float:
    """Adjusted Rand index of two partitions (Hubert & Arabie 1985), by pair counting.

    Parameters
    ----------
    labels_true, labels_found : array-like
        One label per item, in the same order.

    Returns
    -------
    float
        1 for identical partitions, about 0 for independent ones: the value of
        ``sklearn.metrics.adjusted_rand_score``, computed without importing scikit-learn
        (which takes seconds to import).
    """
    table = pd.crosstab(np.asarray(labels_true), np.asarray(labels_found)).to_numpy()

    def pairs(x: np.ndarray) -> float:
        return float((x * (x - 1) / 2).sum())

    index = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * cols / pairs(np.array([table.sum()]))
    maximum = (rows + cols) / 2
    return 1.0 if maximum == expected else (index - expected) / (maximum - expected)


def _calibration(
    accounts: pd.DataFrame, follows: pd.DataFrame, shares: pd.DataFrame, seed: int
) -> list[dict]:
    graph = follow_graph(follows, accounts)
    planted = [
        set(accounts.loc[accounts["community"] == c, "account_id"].tolist())
        for c in range(len(COMMUNITIES))
    ]
    modularity = nx.community.modularity(graph, planted)
    found = nx.community.louvain_communities(graph, seed=seed)
    label = {node: i for i, nodes in enumerate(found) for node in nodes}
    ari = adjusted_rand_index(accounts["community"], accounts["account_id"].map(label))
    reshares = shares[shares["step"] > 0]
    size = shares.groupby("message_id").size()

    def row(target: str, value: float, source: str) -> dict:
        return calibration_row(target, source, None, value, None)  # reported, never failed

    design = "design choice (no published target)"
    return [
        row("discourse: modularity of the planted communities (undirected follows)",
            modularity, design + "; echo chambers give high modularity"),
        row("discourse: adjusted Rand index, Louvain communities vs planted",
            ari, design + "; the planted communities must be recoverable"),
        row("discourse: share of reshares within the community of origin",
            within_community_share(accounts, shares), design),
        row("discourse: reshares per message (mean)", len(reshares) / N_MESSAGES, design),
        row("discourse: share of messages never reshared", float((size == 1).mean()),
            design + "; most posts do not spread"),
        row("discourse: largest cascade (accounts)", float(size.max()), design),
    ]  # fmt: skip


# --- resources -------------------------------------------------------------------------------


def _id_field(name: str, description: str, required: bool = True) -> dict:
    constraints = {"minimum": 1}
    if required:
        constraints["required"] = True
    return {"name": name, "type": "integer", "description": description,
            "constraints": constraints}  # fmt: skip


def _community_field(name: str, description: str) -> dict:
    return {
        "name": name,
        "type": "integer",
        "description": description,
        "constraints": {"required": True, "minimum": 0, "maximum": len(COMMUNITIES) - 1},
    }


def _count_field(name: str, description: str) -> dict:
    return {
        "name": name,
        "type": "integer",
        "description": description,
        "unit": "count",
        "constraints": {"required": True, "minimum": 0},
    }


def _accounts_schema() -> dict:
    return {
        "fields": [
            {
                "name": "account_id",
                "type": "integer",
                "description": "Synthetic account number (no real account behind it).",
                "constraints": {"required": True, "unique": True, "minimum": 1},
            },
            _community_field(
                "community",
                "Planted community (0-4): the truth that community detection should recover.",
            ),
            {
                "name": "stance",
                "type": "string",
                "description": "Stance on migration of the planted community.",
                "constraints": {"required": True, "enum": list(STANCES)},
            },
            {
                "name": "account_type",
                "type": "string",
                "description": "Kind of account; organisations and news outlets attract "
                "more followers and post more.",
                "constraints": {"required": True, "enum": list(ACCOUNT_TYPES)},
            },
            _count_field("followers", "Accounts in the network that follow this account."),
            _count_field("following", "Accounts in the network this account follows."),
            _count_field("messages_posted", "Messages this account posted (step 0)."),
            _count_field("reshares", "Messages this account reshared (step > 0)."),
        ],
        "primaryKey": ["account_id"],
        "missingValues": [""],
    }


def _follows_schema() -> dict:
    return {
        "fields": [
            _id_field("follower_id", "Account that follows."),
            _id_field("followed_id", "Account that is followed; its shares reach the follower."),
        ],
        "primaryKey": ["follower_id", "followed_id"],
        "foreignKeys": [
            {
                "fields": "follower_id",
                "reference": {"resource": "discourse_accounts", "fields": "account_id"},
            },
            {
                "fields": "followed_id",
                "reference": {"resource": "discourse_accounts", "fields": "account_id"},
            },
        ],
        "missingValues": [""],
    }


def _shares_schema() -> dict:
    return {
        "fields": [
            _id_field("message_id", "Synthetic message number (no text)."),
            _id_field("account_id", "Account that posted (step 0) or reshared the message."),
            _id_field(
                "shared_from",
                "Account whose share of the same message this one reshared (account_id "
                "follows it, and it has a row with the same message_id); empty for the "
                "original post.",
                required=False,
            ),
            {
                "name": "step",
                "type": "integer",
                "description": "Generation in the cascade: 0 original post, 1 reshare of "
                "the original, 2 reshare of a reshare, ...",
                "constraints": {"required": True, "minimum": 0},
            },
            {
                "name": "shared_at",
                "type": "datetime",
                "format": "%Y-%m-%dT%H:%M:%SZ",
                "description": "Time of the share (UTC, synthetic observation window of "
                f"{WINDOW_DAYS} days from {WINDOW_START:%Y-%m-%d}).",
                "constraints": {"required": True},
            },
            _id_field("origin_account_id", "Account that posted the message (step 0)."),
            _community_field(
                "origin_community", "Planted community of the account that posted the message."
            ),
            {
                "name": "topic",
                "type": "string",
                "description": "Topic label of the message (no text).",
                "constraints": {"required": True, "enum": list(TOPICS)},
            },
        ],
        "primaryKey": ["message_id", "account_id"],
        "foreignKeys": [
            {
                "fields": "account_id",
                "reference": {"resource": "discourse_accounts", "fields": "account_id"},
            },
            {
                "fields": "shared_from",
                "reference": {"resource": "discourse_accounts", "fields": "account_id"},
            },
            {
                "fields": "origin_account_id",
                "reference": {"resource": "discourse_accounts", "fields": "account_id"},
            },
        ],
        "missingValues": [""],
    }


def _common_datasheet() -> dict:
    """Sections shared by the three discourse datasheets (template ``discourse.md``)."""
    return datasheet(
        "discourse",
        n_accounts=f"{sum(s for _, s in COMMUNITIES):,}",
        communities=", ".join(f"{stance} ({size})" for stance, size in COMMUNITIES),
        n_messages=N_MESSAGES,
        window_days=WINDOW_DAYS,
        reshare_same_community=RESHARE_PROBABILITY["same_community"],
        reshare_other_community=RESHARE_PROBABILITY["other_community"],
        reshare_bridging=RESHARE_PROBABILITY["bridging"],
        delay_median_hours=DELAY_MEDIAN_HOURS,
    )


def _resources(
    accounts: pd.DataFrame, follows: pd.DataFrame, shares: pd.DataFrame
) -> list[Resource]:
    shares = shares[
        [
            "message_id",
            "account_id",
            "shared_from",
            "step",
            "shared_at",
            "origin_account_id",
            "origin_community",
            "topic",
        ]
    ]
    common = _common_datasheet()
    mimic = (
        "Follower and retweet networks of social-media accounts in studies of migration "
        "discourse (Twitter/X)"
    )
    return [
        Resource(
            name="discourse_accounts",
            path="discourse_accounts.csv",
            title="Discourse network: accounts (synthetic)",
            description=(
                "Synthetic social-media accounts posting about migration, with their "
                "planted community and stance, type and counts of followers, followings, "
                "posts and reshares. Ids only."
            ),
            data=accounts,
            schema=_accounts_schema(),
            synthetic=True,
            mimics=mimic,
            datasheet={**datasheet("discourse_accounts"), **common},
        ),
        Resource(
            name="discourse_follows",
            path="discourse_follows.csv.gz",
            title="Discourse network: follow edges (synthetic)",
            description=(
                "Directed follow edges between the synthetic accounts: follower_id follows "
                "followed_id, so shares by followed_id reach follower_id."
            ),
            data=follows,
            schema=_follows_schema(),
            synthetic=True,
            mimics=mimic,
            datasheet={**datasheet("discourse_follows"), **common},
        ),
        Resource(
            name="discourse_shares",
            path="discourse_shares.csv.gz",
            title="Discourse network: posts and reshares (synthetic)",
            description=(
                "Every share of 300 synthetic migration-related messages: the original "
                "post (step 0) and each reshare, with the account it was reshared from, "
                "the time, the message's author, community of origin and topic label."
            ),
            data=shares,
            schema=_shares_schema(),
            synthetic=True,
            mimics=mimic,
            datasheet={**datasheet("discourse_shares"), **common},
        ),
    ]
