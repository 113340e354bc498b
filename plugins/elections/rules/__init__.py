"""The pure rules of elections: plain data in, decisions out, no I/O, no clock.

``model`` holds the data and the round state machine, ``ballots`` ballot validity (E6),
``count`` the count of a round and of an election (E12–E15, E17), ``bundle`` the published
bundle's canonical form and hash chain (E9). No plugin is registered here.
"""
