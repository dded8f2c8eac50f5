## Reference cases of the second round of R parity (see README: "Cases of the parity round").
## Run from this folder:  Rscript generate_parity.R   (R 4.2, survey 4.1.1)
## Data: data(api) of the survey package (apiclus2, apistrat, apiclus1, apipop), written to CSV.
source("survey_case_helpers.R")
data(api)
outdir <- "."

## ---- data -------------------------------------------------------------------------------------
## apiclus2: two-stage cluster sample (districts, then up to 5 schools per district); the
## districts whose every school was taken (fpc2 = schools sampled) are certainty units at stage 2.
keep2 <- c("snum", "dnum", "cname", "stype", "sch.wide", "comp.imp", "awards", "yr.rnd", "api00", "api99",
           "meals", "acs.k3", "enroll", "api.stu", "pw", "fpc1", "fpc2")
c2 <- apiclus2[, keep2]
for (v in names(c2)) if (is.factor(c2[[v]])) c2[[v]] <- as.character(c2[[v]])
c2$fpc1 <- as.numeric(c2$fpc1); c2$fpc2 <- as.numeric(c2$fpc2)
c2$sch_wide01 <- as.numeric(c2$sch.wide == "Yes")
c2$acs_gt20 <- as.numeric(c2$acs.k3 > 20)
write.csv(c2, "apiclus2.csv", row.names = FALSE, na = "")

## apistrat stratified by county: fpc_cnty = schools of the county in apipop, except that the
## counties with a single sampled school are alternately taken with certainty (fpc_cnty = 1):
## lonely strata and self-representing strata side by side. `tiny`: domains of 1 to 4 schools.
ks <- c("snum", "dnum", "cname", "stype", "sch.wide", "comp.imp", "awards", "api00", "api99", "meals",
        "acs.k3", "enroll", "api.stu", "pw", "fpc")
cs <- apistrat[, ks]
for (v in names(cs)) if (is.factor(cs[[v]])) cs[[v]] <- as.character(cs[[v]])
cs$sch_wide01 <- as.numeric(cs$sch.wide == "Yes")
cs$acs_gt20 <- as.numeric(cs$acs.k3 > 20)
popc <- table(as.character(apipop$cname))
nc <- table(cs$cname)
cs$fpc_cnty <- as.numeric(popc[cs$cname])
lonely <- sort(names(nc)[nc == 1])
certain <- lonely[seq(1, length(lonely), by = 2)]
cs$fpc_cnty[cs$cname %in% certain] <- 1
cs$tiny <- as.character(cut(rank(cs$snum, ties.method = "first"), c(0, 1, 3, 6, 10, 200),
                            labels = c("t1", "t2", "t3", "t4", "rest")))
write.csv(cs, "apistrat_county.csv", row.names = FALSE, na = "")

read_code <- function(f) paste0(
  "dat <- read.csv(\"", f, "\", na.strings = \"\", stringsAsFactors = FALSE)\n",
  "for (v in intersect(c(\"stype\", \"sch.wide\", \"comp.imp\", \"awards\", \"yr.rnd\", \"meals_band\", \"cname\", \"tiny\"), names(dat))) dat[[v]] <- factor(dat[[v]])")
D <- function(ids = NULL, strata = NULL, weights = NULL, fpc = NULL, nest = FALSE, lonely_psu = NULL) {
  d <- list(ids = ids, strata = strata, weights = weights, fpc = fpc, nest = nest)
  if (!is.null(lonely_psu)) d$lonely_psu <- lonely_psu
  d
}
R <- function(statistic, variable, domain = NULL, ...)
  c(list(statistic = statistic, variable = variable, domain = domain, na_rm = TRUE), list(...))

## warnings R gives while building the design (recorded in the case as `r_warnings`)
setup_warnings <- function(setup_code) {
  w <- character()
  old <- setwd(outdir); on.exit(setwd(old))
  withCallingHandlers(eval(parse(text = setup_code), envir = new.env()),
                      warning = function(c) { w <<- c(w, conditionMessage(c)); invokeRestart("muffleWarning") })
  w
}
case <- function(name, data_file, design, adjustment, replicates, setup_code, requests) {
  w <- setup_warnings(setup_code)
  extra <- if (length(w)) list(r_warnings = I(w)) else NULL
  suppressWarnings(write_case(outdir, name, data_file, design, adjustment, replicates, setup_code, requests, extra))
}

## ---- 1. two-stage cluster sample with certainty units, under each lonely.psu option -------------
twostage_requests <- list(
  R("mean", "api00"), R("total", "enroll"), R("mean", "stype"), R("mean", "api00", "stype"),
  R("total", "enroll", "stype"),
  R("proportion_ci", "sch_wide01", ci_method = "beta"),
  R("proportion_ci", "sch_wide01", ci_method = "xlogit"),
  R("proportion_ci", "sch_wide01", "stype", ci_method = "beta"),
  R("proportion_ci", "acs_gt20", ci_method = "mean"),
  R("quantile", "api00", quantiles = c(0.05, 0.5, 0.9), interval_type = "mean", qrule = "math"),
  R("ratio", "api.stu", denominator = "enroll")
)
for (opt in c("fail", "remove", "adjust", "certainty", "average")) {
  case(paste0("apiclus2_twostage_", opt), "apiclus2.csv", D("dnum + snum", NULL, NULL, "fpc1 + fpc2", lonely_psu = opt),
       NULL, NULL,
       paste(sprintf("options(survey.lonely.psu = \"%s\")", opt), read_code("apiclus2.csv"),
             "des <- svydesign(ids = ~dnum + snum, fpc = ~fpc1 + fpc2, data = dat)", sep = "\n"),
       twostage_requests)
}

## ---- 2. strata with one school: lonely (fpc > 1) and self-representing (fpc = 1) ---------------
county_requests <- list(
  R("mean", "api00"), R("total", "enroll"), R("mean", "api00", "stype"), R("total", "enroll", "stype"),
  R("proportion_ci", "sch_wide01", ci_method = "beta"),
  R("proportion_ci", "sch_wide01", "stype", ci_method = "xlogit"),
  R("quantile", "api00", quantiles = c(0.25, 0.5), interval_type = "mean", qrule = "math")
)
for (opt in c("remove", "adjust", "certainty", "average")) {
  case(paste0("apistrat_county_", opt), "apistrat_county.csv", D("1", "cname", NULL, "fpc_cnty", lonely_psu = opt),
       NULL, NULL,
       paste(sprintf("options(survey.lonely.psu = \"%s\")", opt), read_code("apistrat_county.csv"),
             "des <- svydesign(ids = ~1, strata = ~cname, fpc = ~fpc_cnty, data = dat)", sep = "\n"),
       county_requests)
}

## ---- 3. low quantiles in domains of one to four schools -----------------------------------------
tiny_requests <- list(
  R("quantile", "api00", "tiny", quantiles = c(0.02, 0.1, 0.5), interval_type = "mean", qrule = "math"),
  R("quantile", "api00", "tiny", quantiles = c(0.02, 0.3), interval_type = "mean", qrule = "school"),
  R("quantile", "api00", "tiny", quantiles = c(0.02, 0.5), interval_type = "beta", qrule = "math"),
  R("quantile", "enroll", "stype", quantiles = c(0.02), interval_type = "mean", qrule = "hf7"),
  R("quantile", "enroll", "tiny", quantiles = c(0.05, 0.4), interval_type = "mean", qrule = "school"),
  R("quantile", "api00", quantiles = c(0.001, 0.003), interval_type = "mean", qrule = "math")
)
case("apistrat_tiny_quantiles", "apistrat_county.csv", D("1", "stype", "pw", "fpc"), NULL, NULL,
     paste(read_code("apistrat_county.csv"),
           "des <- svydesign(ids = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = dat)", sep = "\n"),
     tiny_requests)

## ---- 4. degrees of freedom of replicate designs (rank with tol = 1e-5, after na.rm, in svyby) ---
repdf_requests <- list(
  R("proportion_ci", "sch_wide01", "tiny", ci_method = "beta"),
  R("proportion_ci", "sch_wide01", "tiny", ci_method = "xlogit"),
  R("proportion_ci", "acs_gt20", ci_method = "beta"),
  R("proportion_ci", "acs_gt20", "stype", ci_method = "xlogit"),
  R("proportion_ci", "acs_gt20", "awards", ci_method = "beta"),
  R("quantile", "acs.k3", quantiles = c(0.5), interval_type = "mean", qrule = "math"),
  R("quantile", "api00", "tiny", quantiles = c(0.5), interval_type = "mean", qrule = "math"),
  R("quantile", "acs.k3", "awards", quantiles = c(0.25, 0.5), interval_type = "mean", qrule = "math"),
  R("mean", "acs.k3", "stype")
)
case("apistrat_jkn_degf", "apistrat_county.csv", D("1", "stype", "pw", "fpc"), NULL,
     list(type = "JKn", from = "as.svrepdesign(des, type = \"JKn\")"),
     paste(read_code("apistrat_county.csv"),
           "des <- svydesign(ids = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = dat)",
           "des <- as.svrepdesign(des, type = \"JKn\")", sep = "\n"),
     repdf_requests)
case("apiclus1_jk1_degf", "apiclus1.csv", D("dnum", NULL, "pw", "fpc"), NULL,
     list(type = "JK1", from = "as.svrepdesign(des, type = \"JK1\")"),
     paste(read_code("apiclus1.csv"),
           "des <- svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc, data = dat)",
           "des <- as.svrepdesign(des, type = \"JK1\")", sep = "\n"),
     list(R("proportion_ci", "acs_gt20", ci_method = "beta"),
          R("proportion_ci", "acs_gt20", "meals_band", ci_method = "beta"),
          R("proportion_ci", "sch_wide01", "meals_band", ci_method = "xlogit"),
          R("quantile", "api00", "meals_band", quantiles = c(0.5), interval_type = "mean", qrule = "math"),
          R("quantile", "acs.k3", quantiles = c(0.5), interval_type = "mean", qrule = "math")))

## ---- 5. raking that stops at maxit (R warns and returns the design) ----------------------------
pop_stype_sw <- as.data.frame(xtabs(~stype + sch.wide, apipop))
pop_compimp <- data.frame(comp.imp = c("No", "Yes"), Freq = c(1712, 4482))
pop_awards <- as.data.frame(xtabs(~awards, apipop))
margins3 <- list(list(variables = I(c("stype", "sch.wide")), population = pop_stype_sw),
                 list(variables = I("comp.imp"), population = pop_compimp),
                 list(variables = I("awards"), population = pop_awards))
pop3_code <- paste(
  "pop_stype_sw <- as.data.frame(xtabs(~stype + sch.wide, apipop))",
  "pop_compimp <- data.frame(comp.imp = c(\"No\", \"Yes\"), Freq = c(1712, 4482))",
  "pop_awards <- as.data.frame(xtabs(~awards, apipop))", sep = "\n")
pop3_literal <- paste(
  sprintf("pop_stype_sw <- data.frame(stype = c(%s), sch.wide = c(%s), Freq = c(%s))",
          paste0("\"", pop_stype_sw$stype, "\"", collapse = ", "), paste0("\"", pop_stype_sw$sch.wide, "\"", collapse = ", "),
          paste(pop_stype_sw$Freq, collapse = ", ")),
  "pop_compimp <- data.frame(comp.imp = c(\"No\", \"Yes\"), Freq = c(1712, 4482))",
  sprintf("pop_awards <- data.frame(awards = c(\"No\", \"Yes\"), Freq = c(%s))", paste(pop_awards$Freq, collapse = ", ")),
  sep = "\n")
small_rake_requests <- list(
  R("mean", "api00"), R("total", "enroll"), R("mean", "api00", "stype"),
  R("proportion_ci", "sch_wide01", ci_method = "beta"),
  R("proportion_ci", "acs_gt20", "awards", ci_method = "beta"),
  R("quantile", "api00", quantiles = c(0.5), interval_type = "mean", qrule = "math")
)
case("apiclus1_rake_maxit", "apiclus1.csv", D("dnum", NULL, "pw", "fpc"),
     list(type = "rake", margins = margins3,
          control = list(maxit = 2, epsilon = 1e-12, note = "stops at maxit: R warns and returns the design")),
     NULL,
     paste(read_code("apiclus1.csv"), "des <- svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc, data = dat)",
           pop3_literal,
           "des <- rake(des, list(~stype + sch.wide, ~comp.imp, ~awards), list(pop_stype_sw, pop_compimp, pop_awards), control = list(maxit = 2, epsilon = 1e-12))",
           sep = "\n"),
     small_rake_requests)
case("apistrat_rake3_converged", "apistrat_county.csv", D("1", "stype", "pw", "fpc"),
     list(type = "rake", margins = margins3, control = list(maxit = 200, epsilon = 1e-10)),
     NULL,
     paste(read_code("apistrat_county.csv"),
           "des <- svydesign(ids = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = dat)",
           pop3_literal,
           "des <- rake(des, list(~stype + sch.wide, ~comp.imp, ~awards), list(pop_stype_sw, pop_compimp, pop_awards), control = list(maxit = 200, epsilon = 1e-10))",
           sep = "\n"),
     small_rake_requests)

## ---- 6. calibrate() of replicate-weight designs -------------------------------------------------
cal_pop <- list(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, api99 = 3914069)
cal_code <- "cal_pop <- c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, api99 = 3914069)"
rep_cal_requests <- list(
  R("mean", "api00"), R("total", "enroll"), R("mean", "api00", "stype"), R("mean", "awards"),
  R("proportion_ci", "sch_wide01", ci_method = "beta"),
  R("proportion_ci", "acs_gt20", "awards", ci_method = "xlogit"),
  R("quantile", "api00", quantiles = c(0.5), interval_type = "mean", qrule = "math"),
  R("ratio", "api.stu", denominator = "enroll")
)
for (cf in list(list("linear", c("-Inf", "Inf"), "calfun = \"linear\""),
                list("raking", c("-Inf", "Inf"), "calfun = \"raking\""),
                list("linear", c("0.5", "2"), "calfun = \"linear\", bounds = c(0.5, 2)"))) {
  bounded <- cf[[2]][1] != "-Inf"
  nm <- paste0("apistrat_jkn_calibrate_", cf[[1]], if (bounded) "_bounded" else "")
  case(nm, "apistrat_county.csv", D("1", "stype", "pw", "fpc"),
       list(type = paste0("calibrate_", cf[[1]]), formula = "~stype + api99", population = cal_pop,
            calfun = cf[[1]], bounds = I(cf[[2]]), applied_to = "replicate design"),
       list(type = "JKn", from = "as.svrepdesign(des, type = \"JKn\")"),
       paste(read_code("apistrat_county.csv"),
             "des <- svydesign(ids = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = dat)",
             "des <- as.svrepdesign(des, type = \"JKn\")", cal_code,
             sprintf("des <- calibrate(des, ~stype + api99, cal_pop, %s)", cf[[3]]), sep = "\n"),
       rep_cal_requests)
}
case("apiclus1_jk1_calibrate_raking", "apiclus1.csv", D("dnum", NULL, "pw", "fpc"),
     list(type = "calibrate_raking", formula = "~stype + api99", population = cal_pop, calfun = "raking",
          applied_to = "replicate design"),
     list(type = "JK1", from = "as.svrepdesign(des, type = \"JK1\")"),
     paste(read_code("apiclus1.csv"), "des <- svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc, data = dat)",
           "des <- as.svrepdesign(des, type = \"JK1\")", cal_code,
           "des <- calibrate(des, ~stype + api99, cal_pop, calfun = \"raking\")", sep = "\n"),
     rep_cal_requests)
