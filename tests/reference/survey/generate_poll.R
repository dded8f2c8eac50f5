## The citizens' poll reference case: a quota sample of 1,000 adults raked to census margins.
## Data: poll2025.csv and poll2025_margins.csv, written by scripts/poll_reference_data.py
## (a simulated 2025 poll, seed 2025). Run from this folder:  Rscript generate_poll.R
source("survey_case_helpers.R")
outdir <- "."

margin_vars <- c("sexe_age", "region", "taille_commune", "profession")
indicators <- c("citizens_trust_municipality_data", "citizens_ai_mistrust", "citizens_exposed_cyberattack")
breakdowns <- c("sexe", "age", "region", "taille_commune", "profession")

read_code <- paste(
  "invisible(Sys.setlocale(\"LC_COLLATE\", \"C\"))  # factor levels in byte order, as Python sorts them",
  "dat <- read.csv(\"poll2025.csv\", na.strings = \"\", stringsAsFactors = FALSE)",
  "for (v in c(\"sexe_age\", \"sexe\", \"age\", \"region\", \"taille_commune\", \"profession\")) dat[[v]] <- factor(dat[[v]])",
  "mg <- read.csv(\"poll2025_margins.csv\", stringsAsFactors = FALSE)",
  "pop <- lapply(c(\"sexe_age\", \"region\", \"taille_commune\", \"profession\"), function(v) {",
  "  d <- mg[mg$margin == v, c(\"category\", \"Freq\")]; names(d) <- c(v, \"Freq\"); d })",
  "des <- svydesign(ids = ~1, weights = ~w0, data = dat)",
  "des <- rake(des, list(~sexe_age, ~region, ~taille_commune, ~profession), pop, control = list(maxit = 100, epsilon = 1e-10))",
  sep = "\n")

env <- new.env(); eval(parse(text = read_code), envir = env)
pop <- get("pop", envir = env); des <- get("des", envir = env)
margins <- lapply(seq_along(margin_vars), function(k)
  list(variables = I(margin_vars[k]), population = pop[[k]]))

requests <- list()
for (v in indicators) requests[[length(requests) + 1]] <- list(statistic = "mean", variable = v, na_rm = TRUE, deff = TRUE)
for (b in breakdowns) for (v in indicators)
  requests[[length(requests) + 1]] <- list(statistic = "mean", variable = v, domain = b, na_rm = TRUE)

## design effects by domain (svyby with deff = TRUE), read by the poll's own test
domain_deff <- list()
for (b in breakdowns) for (v in indicators) {
  res <- svyby(as.formula(paste0("~", v)), as.formula(paste0("~", b)), des, svymean, deff = TRUE, na.rm = TRUE)
  dd <- deff(res)
  for (i in seq_len(nrow(res)))
    domain_deff[[length(domain_deff) + 1]] <- list(variable = v, domain = b,
      domain_value = as.character(res[[b]][i]), deff = num1(dd[i]))
}
weighted_margins <- lapply(margin_vars, function(v) {
  t <- svytotal(as.formula(paste0("~", v)), des)
  list(variable = v, levels = I(sub(paste0("^", v), "", names(coef(t)))), totals = I(as.numeric(coef(t))))
})

write_case(outdir, "poll2025_rake", "poll2025.csv",
           list(ids = "1", strata = NULL, weights = "w0", fpc = NULL, nest = FALSE),
           list(type = "rake", margins = margins,
                control = list(maxit = 100, epsilon = 1e-10,
                               note = "epsilon < 1 is relative: stop when max |change of the full cross-table| < epsilon * sum(weights)")),
           NULL, read_code, requests,
           extra = list(poll = list(
             description = "Simulated 2025 poll (seed 2025), quota sample of French adults raked to census margins",
             domain_deff = domain_deff,
             domain_deff_code = "svyby(~indicator, ~breakdown, des, svymean, deff = TRUE, na.rm = TRUE); deff(res)",
             weighted_margins = weighted_margins)))
