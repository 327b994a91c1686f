from django.urls import path

from wardkeeper.inventory.views import integrity, labels, stocktake_scan, stocktakes

urlpatterns = [
    path("stocktakes/", stocktakes.StocktakeList.as_view(), name="stocktake-list"),
    path("stocktakes/add/", stocktakes.stocktake_open, name="stocktake-add"),
    path(
        "stocktakes/<int:pk>/",
        stocktakes.StocktakeDetail.as_view(),
        name="stocktake-detail",
    ),
    path(
        "stocktakes/<int:pk>/upload/",
        stocktakes.StocktakeUpload.as_view(),
        name="stocktake-upload",
    ),
    path(
        "stocktakes/<int:pk>/reconcile/",
        stocktakes.stocktake_reconcile,
        name="stocktake-reconcile",
    ),
    path(
        "stocktakes/<int:pk>/close/",
        stocktakes.stocktake_close,
        name="stocktake-close",
    ),
    path(
        "stocktakes/<int:pk>/report.pdf",
        stocktakes.stocktake_report_pdf,
        name="stocktake-report-pdf",
    ),
    path(
        "stocktakes/<int:pk>/report.xlsx",
        stocktakes.stocktake_report_xlsx,
        name="stocktake-report-xlsx",
    ),
    path(
        "stocktakes/<int:pk>/scan/",
        stocktake_scan.stocktake_scan,
        name="stocktake-scan",
    ),
    path(
        "stocktakes/<int:pk>/scan/record/",
        stocktake_scan.stocktake_scan_record,
        name="stocktake-scan-record",
    ),
    path("labels/", labels.labels, name="labels"),
    path("integrity/", integrity.integrity, name="integrity"),
]
