"""Published reference values for the core measures, each with its source.

* REAT manual (Wieland 2019, ``locq`` example): ``locq(1714, 79006, 879213, 15593224) = 0.3847623``.
* Farhauer, O. & Kröll, A. (2014), *Standorttheorien*, shift-share example: region A with four sectors
  90, 20, 10, 60 → 100, 40, 10, 55 against a nation with 400, 150, 150, 400 → 440, 210, 135, 480.
* SERV (2014), *Advies industrieel kmo-beleid*, Tabel 1 (``../shared/seeds/004_…txt`` lines 1352–1380):
  employment by branch in Belgium and Flanders, 1995 and 2013 (persons), source Hermreg, with the published
  shares of manufacturing 17,4 % / 11,4 % (Belgium) and 21,2 % / 13,8 % (Flanders).
"""

REAT_LOCQ_ARGS = (1714, 79006, 879213, 15593224)
REAT_LOCQ = 0.3847623

FK_REGION = {"t0": [90, 20, 10, 60], "t1": [100, 40, 10, 55]}
FK_NATION = {"t0": [400, 150, 150, 400], "t1": [440, 210, 135, 480]}

SERV_BRANCHES = [
    "Landbouw",
    "Energie",
    "Verwerkende nijverheid",
    "Bouw",
    "Marktdiensten",
    "Niet-verhandelbare diensten",
]
SERV_TABLE1 = {
    # region: {year: [six branches..., total]}
    "BE": {
        1995: [89370, 43711, 675278, 240368, 2077684, 746528, 3872938],
        2013: [58385, 51192, 520186, 276111, 2795601, 844307, 4545781],
    },
    "VL": {
        1995: [60591, 24965, 470148, 149558, 1150819, 357568, 2213648],
        2013: [40202, 28657, 363900, 170142, 1626582, 401901, 2631384],
    },
}
SERV_MANUFACTURING_SHARE_PCT = {
    ("BE", 1995): 17.4,
    ("BE", 2013): 11.4,
    ("VL", 1995): 21.2,
    ("VL", 2013): 13.8,
}
