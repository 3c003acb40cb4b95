-- Broad catalog searches (issue 17): a text in most of the catalog is read only up to a bound, and its page is then
-- found either by walking an order's index or, when the filters keep few of its matches, from the rows of the allowed
-- facet sets, which this index finds without reading every match (lib/catalog/search-catalog.ts).
CREATE INDEX "catalog_tool_search_facet_set_idx" ON "catalog_tool_search"("facet_set");
CREATE INDEX "catalog_server_search_facet_set_idx" ON "catalog_server_search"("facet_set");
