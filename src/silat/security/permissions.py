"""Permission names. Views declare one of these; roles grant them."""

VIEW = "view"                          # public pages
USE_SITE = "use_site"                  # any logged-in person's own pages
FILE_APPLICATION = "file_application"  # file and follow one's own applications
FRONT_OFFICE = "front_office"          # walk-in intake at the desk
VIEW_DOSSIER = "view_dossier"          # open a dossier
EDIT_DOSSIER = "edit_dossier"          # change a dossier's data
VERIFY = "verify"                      # back-office completeness check
REVIEW = "review"                      # technical review inside an agency
APPROVE_RECOMMENDATION = "approve_recommendation"
SIGN = "sign"                          # sign permits and letters
ARCHIVE = "archive"                    # archivist's workbench
HANDLE_COMPLAINTS = "handle_complaints"
SUPERVISE = "supervise"                # read-only monitoring, overdue lists
VIEW_STATISTICS = "view_statistics"    # dashboard, periodic reports, stats API (silat.reports)
MANAGE_CATALOG = "manage_catalog"
MANAGE_USERS = "manage_users"
MANAGE = "manage"                      # site administration
SUBMIT = "submit"                      # submit / resubmit / withdraw one's application
DECIDE = "decide"                      # DPMPTSP approves or rejects an application
