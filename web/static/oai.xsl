<?xml version="1.0" encoding="UTF-8"?>
<!--
  Lectern: renders any OAI-PMH 2.0 response as a readable HTML page in a browser.
  XSLT 1.0 only (browsers implement nothing newer). Links stay relative to the endpoint
  ("?verb=..."), so the page works under any base URL.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:oai="http://www.openarchives.org/OAI/2.0/"
    xmlns:id="http://www.openarchives.org/OAI/2.0/oai-identifier"
    xmlns:fr="http://www.openarchives.org/OAI/2.0/friends/"
    exclude-result-prefixes="oai id fr">

  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:variable name="verb" select="/oai:OAI-PMH/oai:request/@verb"/>

  <xsl:template match="/">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>OAI-PMH <xsl:value-of select="$verb"/></title>
        <style>
          body { margin: 0 auto; max-width: 60rem; padding: 1rem 1.25rem; font: 16px/1.5 system-ui, sans-serif; color: #1d2330; background: #fbfaf7; }
          a { color: #1f6f8b; }
          nav a { margin-right: 1rem; }
          table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
          th, td { text-align: left; vertical-align: top; padding: .3rem .6rem; border-bottom: 1px solid #e3e0d8; }
          th { color: #5b6475; font-weight: 600; white-space: nowrap; }
          .request { color: #5b6475; font-size: .9rem; }
          .error { background: #fbeaea; border-left: 4px solid #b03a2e; padding: .6rem 1rem; margin: 1rem 0; }
          .deleted { color: #b03a2e; }
          .record { border: 1px solid #e3e0d8; border-radius: 4px; padding: .5rem 1rem; margin: 1rem 0; background: white; }
          .xml { font-family: ui-monospace, monospace; font-size: .85rem; white-space: pre-wrap; overflow-wrap: anywhere; }
          .xml .el { color: #1f6f8b; }
          .xml .at { color: #8a5a00; }
          .xml div { margin-left: 1.25rem; }
          .token { margin: 1.5rem 0; font-size: 1.05rem; }
        </style>
      </head>
      <body>
        <h1>OAI-PMH <xsl:value-of select="$verb"/></h1>
        <nav>
          <a href="?verb=Identify">Identify</a>
          <a href="?verb=ListMetadataFormats">ListMetadataFormats</a>
          <a href="?verb=ListSets">ListSets</a>
          <a href="?verb=ListIdentifiers&amp;metadataPrefix=oai_dc">ListIdentifiers</a>
          <a href="?verb=ListRecords&amp;metadataPrefix=oai_dc">ListRecords</a>
        </nav>
        <p class="request">
          Response of <xsl:value-of select="oai:OAI-PMH/oai:responseDate"/> to
          <code><xsl:value-of select="oai:OAI-PMH/oai:request"/></code>
          <xsl:for-each select="oai:OAI-PMH/oai:request/@*">
            <xsl:text> </xsl:text><code><xsl:value-of select="name()"/>=<xsl:value-of select="."/></code>
          </xsl:for-each>
        </p>
        <xsl:apply-templates select="oai:OAI-PMH/oai:error"/>
        <xsl:apply-templates select="oai:OAI-PMH/oai:Identify | oai:OAI-PMH/oai:ListMetadataFormats
            | oai:OAI-PMH/oai:ListSets | oai:OAI-PMH/oai:ListIdentifiers | oai:OAI-PMH/oai:ListRecords
            | oai:OAI-PMH/oai:GetRecord"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="oai:error">
    <div class="error"><strong><xsl:value-of select="@code"/></strong>: <xsl:value-of select="."/></div>
  </xsl:template>

  <xsl:template match="oai:Identify">
    <table>
      <xsl:for-each select="*[local-name() != 'description']">
        <tr><th><xsl:value-of select="local-name()"/></th><td><xsl:value-of select="."/></td></tr>
      </xsl:for-each>
      <xsl:for-each select="oai:description/id:oai-identifier">
        <tr><th>sampleIdentifier</th><td><xsl:value-of select="id:sampleIdentifier"/></td></tr>
      </xsl:for-each>
      <xsl:for-each select="oai:description/fr:friends/fr:baseURL">
        <tr><th>friend</th><td><a href="{.}?verb=Identify"><xsl:value-of select="."/></a></td></tr>
      </xsl:for-each>
    </table>
  </xsl:template>

  <xsl:template match="oai:ListMetadataFormats">
    <table>
      <tr><th>metadataPrefix</th><th>schema</th><th>namespace</th><th></th></tr>
      <xsl:for-each select="oai:metadataFormat">
        <tr>
          <td><xsl:value-of select="oai:metadataPrefix"/></td>
          <td><a href="{oai:schema}"><xsl:value-of select="oai:schema"/></a></td>
          <td><xsl:value-of select="oai:metadataNamespace"/></td>
          <td><a href="?verb=ListRecords&amp;metadataPrefix={oai:metadataPrefix}">records</a></td>
        </tr>
      </xsl:for-each>
    </table>
  </xsl:template>

  <xsl:template match="oai:ListSets">
    <table>
      <tr><th>setSpec</th><th>setName</th><th></th></tr>
      <xsl:for-each select="oai:set">
        <tr>
          <td><code><xsl:value-of select="oai:setSpec"/></code></td>
          <td><xsl:value-of select="oai:setName"/></td>
          <td><a href="?verb=ListIdentifiers&amp;metadataPrefix=oai_dc&amp;set={oai:setSpec}">identifiers</a></td>
        </tr>
      </xsl:for-each>
    </table>
    <xsl:apply-templates select="oai:resumptionToken"/>
  </xsl:template>

  <xsl:template match="oai:ListIdentifiers">
    <table>
      <tr><th>identifier</th><th>datestamp</th><th>sets</th></tr>
      <xsl:for-each select="oai:header">
        <tr><xsl:apply-templates select="." mode="row"/></tr>
      </xsl:for-each>
    </table>
    <xsl:apply-templates select="oai:resumptionToken"/>
  </xsl:template>

  <xsl:template match="oai:ListRecords | oai:GetRecord">
    <xsl:for-each select="oai:record">
      <div class="record">
        <table><tr><xsl:apply-templates select="oai:header" mode="row"/></tr></table>
        <xsl:for-each select="oai:metadata/* | oai:about/*">
          <div class="xml"><xsl:apply-templates select="." mode="xml"/></div>
        </xsl:for-each>
      </div>
    </xsl:for-each>
    <xsl:apply-templates select="oai:resumptionToken"/>
  </xsl:template>

  <xsl:template match="oai:header" mode="row">
    <td>
      <xsl:if test="@status = 'deleted'"><span class="deleted">deleted </span></xsl:if>
      <a>
        <xsl:attribute name="href">
          <xsl:text>?verb=GetRecord&amp;metadataPrefix=</xsl:text>
          <xsl:choose>
            <xsl:when test="/oai:OAI-PMH/oai:request/@metadataPrefix">
              <xsl:value-of select="/oai:OAI-PMH/oai:request/@metadataPrefix"/>
            </xsl:when>
            <xsl:otherwise>oai_dc</xsl:otherwise>
          </xsl:choose>
          <xsl:text>&amp;identifier=</xsl:text>
          <xsl:call-template name="escape">
            <xsl:with-param name="text" select="oai:identifier"/>
          </xsl:call-template>
        </xsl:attribute>
        <xsl:value-of select="oai:identifier"/>
      </a>
    </td>
    <td><xsl:value-of select="oai:datestamp"/></td>
    <td>
      <xsl:for-each select="oai:setSpec">
        <code><xsl:value-of select="."/></code><xsl:text> </xsl:text>
      </xsl:for-each>
    </td>
  </xsl:template>

  <xsl:template match="oai:resumptionToken">
    <p class="token">
      <xsl:if test="@completeListSize">
        <xsl:value-of select="@cursor"/> of <xsl:value-of select="@completeListSize"/> listed before this page.
      </xsl:if>
      <xsl:if test="normalize-space(.) != ''">
        <xsl:text> </xsl:text>
        <a>
          <xsl:attribute name="href">
            <xsl:text>?verb=</xsl:text><xsl:value-of select="$verb"/>
            <xsl:text>&amp;resumptionToken=</xsl:text>
            <xsl:call-template name="escape">
              <xsl:with-param name="text" select="normalize-space(.)"/>
            </xsl:call-template>
          </xsl:attribute>
          <xsl:text>Next page</xsl:text>
        </a>
        <xsl:if test="@expirationDate"> (valid until <xsl:value-of select="@expirationDate"/>)</xsl:if>
      </xsl:if>
    </p>
  </xsl:template>

  <!-- Any XML payload as an indented tree: element names, attributes and text. -->
  <xsl:template match="*" mode="xml">
    <div>
      <span class="el">&lt;<xsl:value-of select="local-name()"/></span>
      <xsl:for-each select="@*">
        <xsl:text> </xsl:text><span class="at"><xsl:value-of select="local-name()"/>="<xsl:value-of select="."/>"</span>
      </xsl:for-each>
      <span class="el">&gt;</span>
      <xsl:choose>
        <xsl:when test="*">
          <xsl:apply-templates select="*" mode="xml"/>
        </xsl:when>
        <xsl:otherwise><xsl:value-of select="normalize-space(.)"/></xsl:otherwise>
      </xsl:choose>
      <span class="el">&lt;/<xsl:value-of select="local-name()"/>&gt;</span>
    </div>
  </xsl:template>

  <!-- Percent-encode the characters that would break a query-string value. -->
  <xsl:template name="escape">
    <xsl:param name="text"/>
    <xsl:variable name="first" select="substring($text, 1, 1)"/>
    <xsl:if test="$text != ''">
      <xsl:choose>
        <xsl:when test="$first = '%'">%25</xsl:when>
        <xsl:when test="$first = '&amp;'">%26</xsl:when>
        <xsl:when test="$first = '#'">%23</xsl:when>
        <xsl:when test="$first = '+'">%2B</xsl:when>
        <xsl:when test="$first = ' '">%20</xsl:when>
        <xsl:when test="$first = '='">%3D</xsl:when>
        <xsl:when test="$first = '?'">%3F</xsl:when>
        <xsl:otherwise><xsl:value-of select="$first"/></xsl:otherwise>
      </xsl:choose>
      <xsl:call-template name="escape">
        <xsl:with-param name="text" select="substring($text, 2)"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
