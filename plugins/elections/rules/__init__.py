"""The pure rules of elections: plain data in, decisions out, no I/O, no clock.

``model`` holds the data and the round state machine, ``ballots`` ballot validity (E6),
``count`` the count of a round and of an election (E12–E15, E17), ``bundle`` the published
bundle's canonical form and hash chain (E9). Before the vote (part I): ``roll`` the
electorate (E1), ``deadlines`` the windows and phases (E2, E5), ``posts`` (E3),
``nominations`` (E4), ``slate`` (E5), ``proxies`` (E10), ``refusals`` their codes. No plugin
is registered here.
"""
