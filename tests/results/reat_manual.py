"""Published examples of the REAT manual (Wieland, T.: REAT — Regional Economic Analysis Toolbox, R package,
CRAN; the help pages ``man/*.Rd`` of the package, the "Examples" sections) with their inputs.

Each constant names the help page and the book the example comes from. Values are as printed in the manual
(their number of decimals sets the tolerance of the tests).

* ``krugman.spec`` (help page ``Goettingen``, example "Krugman coefficient of regional specialization 2017"):
  ``krugman.spec(Goettingen$Goettingen2017[2:16], Goettingen$BRD2017[2:16])`` = 0.4508469, on the data set
  ``Goettingen`` (employees subject to social insurance, 15 WZ2008 sections, Göttingen vs Germany, 30 June
  2017; in ``../shared/data/reat/Goettingen.csv``; rows 2–16, i.e. without the ``A-R`` total). REAT takes the
  shares over the sum of the 15 sections, not over the ``A-R`` total.
* ``krugman.spec`` (help page ``krugman.spec``, example from Farhauer/Kröll 2013, modified): two regions with
  no common industry give the maximum 2.
* ``theil`` (help page ``theil``, example from Störmann 2009, *Regionalökonomik*): regional incomes
  10, 10, 10, 20, 50 → 0.2326302.
* ``herf`` (help page ``herf``, example from Dörsam 2004, *Wirtschaftsstatistik anschaulich dargestellt*):
  sales 20, 50, 20, 10 → HHI 0.34, standardised 0.12.
* ``gini`` (help page ``gini``, examples from Dörsam 2004): sales 20, 50, 20, 10 → 0.3 (standardised 0.4);
  income classes with average incomes 500 … 15000 and class sizes 1000 … 600 → 0.5278 (weighted);
  GDP of the 16 German Länder 2015 → 0.5009.
* ``gini.spec`` (help page ``gini.spec``, example from Farhauer/Kröll 2013, *Standorttheorien*): five industries
  → 0.6222222; and the ``Freiburg`` example (Freiburg vs Germany 2014, ``../shared/data/reat/Freiburg.csv``)
  → 0.2089009.
* ``gini.conc`` (help page ``gini.conc``, example from Farhauer/Kröll 2013): one industry in five regions
  → 0.4068966.
"""

KRUGMAN_GOETTINGEN_2017 = 0.4508469
GOETTINGEN_SECTIONS = ["A", "BDE", "C", "F", "G", "H", "I", "J", "K", "M", "N", "O", "P", "Q", "R"]

KRUGMAN_FK_REGION_J = [20, 10, 70, 0, 0]
KRUGMAN_FK_REGION_L = [0, 0, 0, 60, 40]
KRUGMAN_FK = 2.0

THEIL_STOERMANN_INCOME = [10, 10, 10, 20, 50]
THEIL_STOERMANN = 0.2326302

DOERSAM_SALES = [20, 50, 20, 10]
HERF_DOERSAM = 0.34
HERF_DOERSAM_NORM = 0.12
GINI_DOERSAM = 0.3
GINI_DOERSAM_NORM = 0.4

DOERSAM_INCOME = [500, 1500, 2500, 4000, 7500, 15000]
DOERSAM_CLASS_SIZE = [1000, 1200, 1600, 400, 200, 600]
GINI_DOERSAM_WEIGHTED = 0.5278

GDP_LAENDER_2015 = [
    460.69,
    549.19,
    124.16,
    65.29,
    31.59,
    109.27,
    263.44,
    39.87,
    258.53,
    645.59,
    131.95,
    35.03,
    112.66,
    56.22,
    85.61,
    56.81,
]
GINI_GDP_LAENDER_2015 = 0.5009

GINI_SPEC_FK_REGION = [700, 600, 500, 10000, 40000]
GINI_SPEC_FK_NATION = [30000, 15000, 10000, 60000, 50000]
GINI_SPEC_FK = 0.6222222
GINI_SPEC_FREIBURG_2014 = 0.2089009

GINI_CONC_FK_INDUSTRY = [500, 500, 1000, 7000, 1000]
GINI_CONC_FK_REGIONS = [20000, 15000, 20000, 40000, 5000]
GINI_CONC_FK = 0.4068966
