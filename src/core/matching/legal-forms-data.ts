/**
 * Legal-entity forms by country: the spellings a company name may end (or, marked `prefix`, start) with.
 *
 * Source: the ISO 20275 "Entity Legal Forms" (ELF) code list published by GLEIF
 * (https://www.gleif.org/en/about-lei/code-lists/iso-20275-entity-legal-forms-code-list), licence CC0 1.0.
 * How it was made: the project had no network access when this table was written, so it is a hand-curated
 * extract of the ELF list's "abbreviations (local language)" and "entity legal form name" columns for the
 * main forms of each country, written from knowledge of that list, not a machine copy of it; common
 * informal spellings seen in CRM data (dots and spaces left out or added, "Co., Ltd.", "Pty Ltd") were
 * added. ELF codes are not reproduced. Refreshing it from the published CSV is a documented follow-up
 * (docs/matching.md). Only spellings matter to the matcher: dots, spaces, case and accents are ignored
 * when a form is compared (see legal-forms.ts), so "S.A.R.L.", "SARL" and "S.a r.l." are one entry.
 *
 * Row: [ISO 3166-1 alpha-2 country, abbreviations "|"-separated, full names "|"-separated, flags].
 * Flag `prefix`: the form is also written before the name ("OOO Romashka", "PT Astra", "AB Volvo").
 */
export type LegalFormRow = readonly [country: string, abbreviations: string, names: string, flags?: 'prefix'];

export const LEGAL_FORM_ROWS: readonly LegalFormRow[] = [
  // North America
  [
    'US',
    'Inc.|Inc|Corp.|Corp|Co.|LLC|L.L.C.|LLP|L.L.P.|LP|L.P.|LLLP|PC|P.C.|PLLC|P.L.L.C.|Ltd.|N.A.',
    'Incorporated|Corporation|Company|Limited Liability Company|Limited Liability Partnership|Limited Partnership|Professional Corporation|Professional Limited Liability Company|National Association',
  ],
  [
    'CA',
    'Inc.|Corp.|Ltd.|Ltée|Limitée|ULC|LP|LLP|S.E.N.C.|SENC|Cie',
    'Incorporated|Corporation|Limited|Unlimited Liability Company|Société en nom collectif|Compagnie|Incorporée',
  ],
  [
    'MX',
    'S.A. de C.V.|SA de CV|S.A.P.I. de C.V.|SAPI de CV|S. de R.L. de C.V.|S de RL de CV|S. de R.L.|S.A.B. de C.V.|SAB de CV|S.C.|A.C.|S.A.',
    'Sociedad Anónima de Capital Variable|Sociedad de Responsabilidad Limitada de Capital Variable|Sociedad Anónima Promotora de Inversión de Capital Variable|Sociedad Anónima Bursátil de Capital Variable|Sociedad Civil|Asociación Civil|Sociedad Anónima',
  ],
  // British Isles and Commonwealth
  [
    'GB',
    'Ltd|Ltd.|Limited|PLC|P.L.C.|LLP|LP|CIC|Unltd|Co. Ltd',
    'Public Limited Company|Limited Liability Partnership|Limited Partnership|Community Interest Company|Private Limited Company|Unlimited Company|Company Limited',
  ],
  [
    'IE',
    'Ltd|Limited|DAC|D.A.C.|PLC|CLG|UC|ULC|Teoranta|Teo|Cpt|CPT',
    'Designated Activity Company|Company Limited by Guarantee|Public Limited Company|Unlimited Company|Cuideachta Phoiblí Theoranta|Cuideachta Ghníomhaíochta Ainmnithe',
  ],
  [
    'AU',
    'Pty Ltd|Pty. Ltd.|(Pty) Ltd|Pty Limited|Pty|Ltd|Limited|NL',
    'Proprietary Limited|Proprietary Company|No Liability',
  ],
  ['NZ', 'Ltd|Limited|LP', 'Limited Company|Limited Partnership'],
  [
    'ZA',
    '(Pty) Ltd|Pty Ltd|Pty|Ltd|Inc|NPC|SOC Ltd|RF',
    'Proprietary Limited|Public Company|Non-Profit Company|State Owned Company|Personal Liability Company|Incorporated',
  ],
  [
    'IN',
    'Pvt Ltd|Pvt. Ltd.|Private Limited|Ltd|LLP|OPC',
    'Private Limited Company|Public Limited Company|Limited Liability Partnership|One Person Company',
  ],
  [
    'SG',
    'Pte Ltd|Pte. Ltd.|Pte. Limited|Pte|Ltd|LLP|LP',
    'Private Limited|Private Limited Company|Limited Liability Partnership',
  ],
  ['MY', 'Sdn Bhd|Sdn. Bhd.|Bhd|Berhad|PLT', 'Sendirian Berhad|Perkongsian Liabiliti Terhad'],
  ['HK', 'Ltd|Limited|Co. Ltd', 'Company Limited|Limited Company'],
  ['NG', 'Ltd|Plc|Ltd/Gte', 'Private Limited Company|Public Limited Company|Limited by Guarantee'],
  ['KE', 'Ltd|PLC|LLP', 'Limited|Public Limited Company|Limited Liability Partnership'],
  // German-speaking
  [
    'DE',
    'GmbH|gGmbH|mbH|AG|KG|OHG|oHG|GbR|UG|UG (haftungsbeschränkt)|GmbH & Co. KG|GmbH & Co KG|GmbH & Co. KGaA|AG & Co. KG|KGaA|eG|e.K.|e.Kfm.|e.Kfr.|Kfm.|Kfr.|e.V.|SE|SE & Co. KG|PartG|PartG mbB|mbB',
    'Gesellschaft mit beschränkter Haftung|Aktiengesellschaft|Kommanditgesellschaft|Offene Handelsgesellschaft|Gesellschaft bürgerlichen Rechts|Unternehmergesellschaft|Kommanditgesellschaft auf Aktien|eingetragene Genossenschaft|eingetragener Kaufmann|eingetragene Kauffrau|eingetragener Verein|Partnerschaftsgesellschaft|Europäische Gesellschaft|Societas Europaea',
  ],
  [
    'AT',
    'GmbH|AG|KG|OG|GesmbH|Ges.m.b.H.|GmbH & Co KG|e.U.|eGen|SE',
    'Gesellschaft mit beschränkter Haftung|Aktiengesellschaft|Kommanditgesellschaft|Offene Gesellschaft|eingetragenes Unternehmen|eingetragene Genossenschaft',
  ],
  [
    'CH',
    'AG|GmbH|SA|Sàrl|SARL|Sagl|SA|KlG|KmG|Genossenschaft',
    'Aktiengesellschaft|Gesellschaft mit beschränkter Haftung|Société anonyme|Société à responsabilité limitée|Società anonima|Società a garanzia limitata|Kollektivgesellschaft|Kommanditgesellschaft',
  ],
  ['LI', 'AG|GmbH|Anstalt|Est.', 'Aktiengesellschaft|Gesellschaft mit beschränkter Haftung|Establishment'],
  [
    'LU',
    'S.A.|SA|S.à r.l.|Sàrl|SARL|SCS|SCA|SCSp|SNC|SCoop|SE|ASBL',
    'Société anonyme|Société à responsabilité limitée|Société en commandite simple|Société en commandite par actions|Société en commandite spéciale|Société en nom collectif|Société coopérative|Association sans but lucratif',
  ],
  // French-speaking
  [
    'FR',
    'SA|S.A.|SAS|S.A.S.|SASU|S.A.S.U.|SARL|S.A.R.L.|S.à r.l.|EURL|E.U.R.L.|SNC|S.N.C.|SCI|S.C.I.|SCA|SCS|SCOP|SCP|SEL|SELARL|SELAS|GIE|EI|EIRL|SEM|SE|Cie',
    'Société anonyme|Société par actions simplifiée|Société par actions simplifiée unipersonnelle|Société à responsabilité limitée|Entreprise unipersonnelle à responsabilité limitée|Société en nom collectif|Société civile immobilière|Société en commandite par actions|Société en commandite simple|Société coopérative de production|Société coopérative et participative|Société civile professionnelle|Groupement d’intérêt économique|Entreprise individuelle|Société d’économie mixte|Compagnie|et Compagnie|et Cie',
  ],
  [
    'BE',
    'SA|NV|SRL|BV|SPRL|BVBA|SC|CV|SCRL|CVBA|SNC|VOF|SComm|CommV|ASBL|VZW|SE',
    'Société anonyme|Naamloze vennootschap|Société à responsabilité limitée|Besloten vennootschap|Société privée à responsabilité limitée|Besloten vennootschap met beperkte aansprakelijkheid|Société coopérative|Coöperatieve vennootschap|Société en nom collectif|Vennootschap onder firma|Société en commandite|Commanditaire vennootschap|Association sans but lucratif|Vereniging zonder winstoogmerk',
  ],
  // Benelux, Nordics
  [
    'NL',
    'B.V.|BV|N.V.|NV|V.O.F.|VOF|C.V.|CV|Coöperatie U.A.|U.A.|W.A.|B.A.|Stichting|Vereniging',
    'Besloten vennootschap|Besloten vennootschap met beperkte aansprakelijkheid|Naamloze vennootschap|Vennootschap onder firma|Commanditaire vennootschap|Coöperatie|Uitgesloten aansprakelijkheid|Maatschap',
  ],
  ['SE', 'AB|AB (publ)|(publ)|Aktiebolag', 'Aktiebolag|Publikt aktiebolag', 'prefix'],
  ['SE', 'HB|KB|Ek. för.|EF', 'Handelsbolag|Kommanditbolag|Ekonomisk förening|Enskild firma'],
  [
    'NO',
    'AS|A/S|ASA|ANS|DA|KS|SA|NUF|BA',
    'Aksjeselskap|Allmennaksjeselskap|Ansvarlig selskap|Selskap med delt ansvar|Kommandittselskap|Samvirkeforetak|Norskregistrert utenlandsk foretak',
  ],
  [
    'DK',
    'A/S|AS|ApS|IVS|I/S|K/S|P/S|A.m.b.a.|F.m.b.a.|SMBA|Amba',
    'Aktieselskab|Anpartsselskab|Iværksætterselskab|Interessentskab|Kommanditselskab|Partnerselskab|Andelsselskab med begrænset ansvar|Forening med begrænset ansvar|Selskab med begrænset ansvar',
  ],
  [
    'FI',
    'Oy|Oyj|Ab|Abp|Ky|Ay|Osk|Tmi',
    'Osakeyhtiö|Julkinen osakeyhtiö|Aktiebolag|Kommandiittiyhtiö|Avoin yhtiö|Osuuskunta|Toiminimi|Publikt aktiebolag',
    'prefix',
  ],
  [
    'IS',
    'ehf.|ehf|hf.|hf|sf.|slf.|ses.',
    'Einkahlutafélag|Hlutafélag|Sameignarfélag|Samlagsfélag|Sjálfseignarstofnun',
  ],
  // Southern Europe
  [
    'IT',
    'S.p.A.|SpA|S.r.l.|Srl|S.R.L.|S.r.l.s.|Srls|S.a.s.|Sas|S.n.c.|Snc|S.a.p.a.|Sapa|Soc. Coop.|S.c.a r.l.|Scarl|S.c.p.A.|Scpa|S.s.',
    'Società per azioni|Società a responsabilità limitata|Società a responsabilità limitata semplificata|Società in accomandita semplice|Società in nome collettivo|Società in accomandita per azioni|Società cooperativa|Società cooperativa a responsabilità limitata|Società semplice',
  ],
  [
    'ES',
    'S.A.|SA|S.L.|SL|S.L.U.|SLU|S.A.U.|SAU|S.L.L.|SLL|S.L.N.E.|SLNE|S. Coop.|S.Coop.|S.C.|S.Com.|S.R.C.|SRC|A.I.E.|AIE',
    'Sociedad Anónima|Sociedad Limitada|Sociedad de Responsabilidad Limitada|Sociedad Limitada Unipersonal|Sociedad Anónima Unipersonal|Sociedad Limitada Laboral|Sociedad Limitada Nueva Empresa|Sociedad Cooperativa|Sociedad Comanditaria|Sociedad Regular Colectiva|Agrupación de Interés Económico',
  ],
  [
    'PT',
    'S.A.|SA|Lda.|Lda|Ltda|Unipessoal Lda|S.G.P.S.|SGPS|ACE|CRL',
    'Sociedade Anónima|Sociedade por Quotas|Sociedade Unipessoal por Quotas|Sociedade Gestora de Participações Sociais|Limitada|Agrupamento Complementar de Empresas|Cooperativa de Responsabilidade Limitada',
  ],
  [
    'GR',
    'A.E.|AE|Α.Ε.|ΑΕ|Ε.Π.Ε.|ΕΠΕ|E.P.E.|EPE|I.K.E.|IKE|Ι.Κ.Ε.|ΙΚΕ|O.E.|OE|Ο.Ε.|E.E.|EE|Ε.Ε.',
    'Anonymi Etaireia|Ανώνυμη Εταιρεία|Etaireia Periorismenis Efthynis|Εταιρεία Περιορισμένης Ευθύνης|Idiotiki Kefalaiouchiki Etaireia|Ιδιωτική Κεφαλαιουχική Εταιρεία|Omorrythmi Etaireia|Ομόρρυθμη Εταιρεία|Eterorrythmi Etaireia|Ετερόρρυθμη Εταιρεία',
  ],
  ['MT', 'Ltd|Limited|plc|p.l.c.', 'Private Limited Company|Public Limited Company'],
  ['CY', 'Ltd|Limited|Plc|Public Ltd', 'Private Company Limited by Shares|Public Company Limited'],
  [
    'TR',
    'A.Ş.|AŞ|A.S.|Ltd. Şti.|Ltd Şti|Ltd. Sti.|Ltd Sti|Şti.|Koll. Şti.|Kom. Şti.',
    'Anonim Şirketi|Anonim Sirketi|Limited Şirketi|Limited Sirketi|Kollektif Şirketi|Komandit Şirketi',
  ],
  // Central and Eastern Europe
  [
    'PL',
    'Sp. z o.o.|Sp. z.o.o.|Sp.z o.o.|sp. z o.o.|S.A.|SA|Sp. j.|Sp.j.|Sp. k.|Sp.k.|Sp. p.|S.K.A.|P.S.A.|PSA|Sp. z o.o. Sp. k.',
    'Spółka z ograniczoną odpowiedzialnością|Spółka akcyjna|Spółka jawna|Spółka komandytowa|Spółka partnerska|Spółka komandytowo-akcyjna|Prosta spółka akcyjna',
  ],
  [
    'CZ',
    's.r.o.|spol. s r.o.|spol. s.r.o.|sro|a.s.|as|v.o.s.|k.s.|druzstvo|z.s.',
    'Společnost s ručením omezeným|Akciová společnost|Veřejná obchodní společnost|Komanditní společnost|Družstvo|Zapsaný spolek',
  ],
  [
    'SK',
    's.r.o.|spol. s r.o.|a.s.|v.o.s.|k.s.|j.s.a.|druzstvo',
    'Spoločnosť s ručením obmedzeným|Akciová spoločnosť|Verejná obchodná spoločnosť|Komanditná spoločnosť|Jednoduchá spoločnosť na akcie|Družstvo',
  ],
  [
    'HU',
    'Kft.|Kft|Zrt.|Zrt|Nyrt.|Nyrt|Bt.|Bt|Kkt.|Kkt|Rt.|Rt',
    'Korlátolt felelősségű társaság|Zártkörűen működő részvénytársaság|Nyilvánosan működő részvénytársaság|Betéti társaság|Közkereseti társaság|Részvénytársaság',
  ],
  [
    'RO',
    'S.R.L.|SRL|S.A.|SA|S.N.C.|SNC|S.C.S.|SCS|S.C.A.|SCA|PFA',
    'Societate cu răspundere limitată|Societate pe acțiuni|Societate în nume colectiv|Societate în comandită simplă|Societate în comandită pe acțiuni|Persoană fizică autorizată|Întreprindere individuală',
  ],
  [
    'BG',
    'OOD|ООД|EOOD|ЕООД|EAD|ЕАД',
    'Druzhestvo s ogranichena otgovornost|Дружество с ограничена отговорност|Ednolichno druzhestvo s ogranichena otgovornost|Еднолично дружество с ограничена отговорност',
    'prefix',
  ],
  [
    'BG',
    'AD|АД|ET|ЕТ|SD|СД|KD|КД',
    'Aktsionerno druzhestvo|Акционерно дружество|Ednolichen targovets|Едноличен търговец',
  ],
  [
    'HR',
    'd.o.o.|doo|d.d.|dd|j.d.o.o.|jdoo|j.t.d.|k.d.',
    'Društvo s ograničenom odgovornošću|Dioničko društvo|Jednostavno društvo s ograničenom odgovornošću|Javno trgovačko društvo|Komanditno društvo',
  ],
  [
    'SI',
    'd.o.o.|d.d.|d.n.o.|k.d.|s.p.',
    'Družba z omejeno odgovornostjo|Delniška družba|Družba z neomejeno odgovornostjo|Komanditna družba|Samostojni podjetnik',
  ],
  [
    'RS',
    'd.o.o.|д.о.о.|a.d.|а.д.|o.d.|k.d.',
    'Društvo sa ograničenom odgovornošću|Друштво са ограниченом одговорношћу|Akcionarsko društvo|Акционарско друштво|Ortačko društvo|Komanditno društvo',
  ],
  ['BA', 'd.o.o.|d.d.|a.d.', 'Društvo s ograničenom odgovornošću|Dioničko društvo|Akcionarsko društvo'],
  [
    'EE',
    'OÜ|OU|AS|TÜ|UÜ|MTÜ|FIE',
    'Osaühing|Aktsiaselts|Täisühing|Usaldusühing|Mittetulundusühing|Füüsilisest isikust ettevõtja',
    'prefix',
  ],
  [
    'LV',
    'SIA|AS|PS|KS|IK',
    'Sabiedrība ar ierobežotu atbildību|Akciju sabiedrība|Pilnsabiedrība|Komandītsabiedrība|Individuālais komersants',
    'prefix',
  ],
  [
    'LT',
    'UAB|AB|MB|IĮ|TŪB|KŪB',
    'Uždaroji akcinė bendrovė|Akcinė bendrovė|Mažoji bendrija|Individuali įmonė|Tikroji ūkinė bendrija|Komanditinė ūkinė bendrija',
    'prefix',
  ],
  // Russia and neighbours (Cyrillic spellings are transliterated before comparison, so both are listed)
  [
    'RU',
    'OOO|ООО|AO|АО|PAO|ПАО|ZAO|ЗАО|OAO|ОАО|NAO|НАО|PJSC|JSC|CJSC|OJSC|LLC|GUP|ГУП|MUP|МУП|ANO|АНО|NKO|НКО',
    'Obshchestvo s ogranichennoy otvetstvennostyu|Общество с ограниченной ответственностью|Aktsionernoye obshchestvo|Акционерное общество|Publichnoye aktsionernoye obshchestvo|Публичное акционерное общество|Zakrytoye aktsionernoye obshchestvo|Закрытое акционерное общество|Otkrytoye aktsionernoye obshchestvo|Открытое акционерное общество|Public Joint Stock Company|Joint Stock Company|Closed Joint Stock Company|Open Joint Stock Company|Limited Liability Company',
    'prefix',
  ],
  [
    'UA',
    'TOV|ТОВ|TzOV|ТзОВ|PrAT|ПрАТ|PAT|ПАТ|FOP|ФОП|PJSC|JSC|LLC',
    'Tovarystvo z obmezhenoiu vidpovidalnistiu|Товариство з обмеженою відповідальністю|Pryvatne aktsionerne tovarystvo|Приватне акціонерне товариство|Publichne aktsionerne tovarystvo|Публічне акціонерне товариство|Aktsionerne tovarystvo|Акціонерне товариство|Pryvatne pidpryiemstvo|Приватне підприємство',
    'prefix',
  ],
  [
    'BY',
    'OOO|ООО|ODO|ОДО|OAO|ОАО|ZAO|ЗАО|AO|АО|ChUP|ЧУП',
    'Obshchestvo s ogranichennoy otvetstvennostyu|Общество с ограниченной ответственностью|Obshchestvo s dopolnitelnoy otvetstvennostyu|Общество с дополнительной ответственностью|Unitarnoye predpriyatiye|Унитарное предприятие',
    'prefix',
  ],
  [
    'KZ',
    'TOO|ТОО|AO|АО|LLP|JSC',
    'Tovarishchestvo s ogranichennoy otvetstvennostyu|Товарищество с ограниченной ответственностью|Aktsionernoye obshchestvo|Акционерное общество|Limited Liability Partnership|Joint Stock Company',
    'prefix',
  ],
  // Middle East and Africa
  [
    'AE',
    'LLC|L.L.C.|FZE|FZ-LLC|FZ LLC|FZCO|FZ-Co|DMCC|PJSC|P.J.S.C.|PSC|P.S.C.|Est.',
    'Limited Liability Company|Free Zone Establishment|Free Zone Company|Free Zone Limited Liability Company|Public Joint Stock Company|Private Shareholding Company|Establishment',
  ],
  [
    'SA',
    'LLC|JSC|CJSC|Co.|SJSC',
    'Limited Liability Company|Joint Stock Company|Closed Joint Stock Company|Simplified Joint Stock Company',
  ],
  ['IL', 'Ltd|Ltd.|Limited|בע"מ|בעמ', 'Company Limited|Chevra Baam|Private Company'],
  [
    'EG',
    'S.A.E.|SAE|LLC|L.L.C.|JSC',
    'Société Anonyme Égyptienne|Egyptian Joint Stock Company|Limited Liability Company',
  ],
  [
    'MA',
    'SARL|S.A.R.L.|SA|S.A.|SARL AU|SNC|SCS',
    'Société à responsabilité limitée|Société anonyme|Société à responsabilité limitée à associé unique',
  ],
  // Latin America
  [
    'BR',
    'Ltda.|Ltda|S.A.|SA|S/A|EIRELI|Eireli|EPP|S.S.|SLU',
    'Limitada|Sociedade Limitada|Sociedade Anônima|Sociedade Anonima|Empresa Individual de Responsabilidade Limitada|Microempresa|Empresa de Pequeno Porte|Microempreendedor Individual|Sociedade Simples|Sociedade Limitada Unipessoal',
  ],
  [
    'AR',
    'S.A.|SA|S.R.L.|SRL|S.A.S.|SAS|S.C.A.|S.C.S.|S.H.',
    'Sociedad Anónima|Sociedad de Responsabilidad Limitada|Sociedad por Acciones Simplificada|Sociedad en Comandita por Acciones|Sociedad en Comandita Simple|Sociedad de Hecho',
  ],
  [
    'CL',
    'S.A.|SA|SpA|S.p.A.|Ltda.|Ltda|E.I.R.L.|EIRL|S.A.C.',
    'Sociedad Anónima|Sociedad por Acciones|Sociedad de Responsabilidad Limitada|Limitada|Empresa Individual de Responsabilidad Limitada',
  ],
  [
    'CO',
    'S.A.S.|SAS|S.A.|SA|Ltda.|Ltda|S. en C.|S.C.A.|E.U.',
    'Sociedad por Acciones Simplificada|Sociedad Anónima|Sociedad Limitada|Sociedad en Comandita|Sociedad en Comandita por Acciones|Empresa Unipersonal',
  ],
  [
    'PE',
    'S.A.|SA|S.A.C.|SAC|S.A.A.|SAA|S.R.L.|SRL|E.I.R.L.|EIRL',
    'Sociedad Anónima|Sociedad Anónima Cerrada|Sociedad Anónima Abierta|Sociedad Comercial de Responsabilidad Limitada|Empresa Individual de Responsabilidad Limitada',
  ],
  ['VE', 'C.A.|CA|S.A.|S.R.L.', 'Compañía Anónima|Sociedad Anónima|Sociedad de Responsabilidad Limitada'],
  [
    'UY',
    'S.A.|SA|S.R.L.|SRL|S.A.S.',
    'Sociedad Anónima|Sociedad de Responsabilidad Limitada|Sociedad por Acciones Simplificada',
  ],
  // Asia-Pacific
  [
    'JP',
    'K.K.|KK|Kabushiki Kaisha|Kabushiki-Kaisha|Kabushikigaisha|Kabushiki Gaisha|G.K.|GK|Godo Kaisha|Godo Gaisha|Y.K.|Yugen Kaisha|Co., Ltd.|Co. Ltd.|Co., Ltd|Co Ltd|株式会社|合同会社|有限会社',
    'Company Limited|Limited Company|Corporation|Godo Kaisha|Yugen Kaisha',
    'prefix',
  ],
  [
    'KR',
    'Co., Ltd.|Co. Ltd.|Co Ltd|Corp.|Inc.|Ltd.|Chusik Hoesa|Jusik Hoesa|Jusikhoesa|Yuhan Hoesa|Yuhanhoesa|(주)|주식회사|유한회사',
    'Company Limited|Corporation|Chusik Hoesa|Jusik Hoesa|Yuhan Hoesa|Yuhan Chaegim Hoesa',
    'prefix',
  ],
  [
    'CN',
    'Co., Ltd.|Co. Ltd.|Co Ltd|Ltd.|Limited|Corp.|有限公司|股份有限公司|有限责任公司',
    'Company Limited|Limited Liability Company|Joint Stock Company Limited|Company Limited by Shares',
  ],
  [
    'TW',
    'Co., Ltd.|Co. Ltd.|Corp.|Ltd.|股份有限公司|有限公司',
    'Company Limited|Corporation|Company Limited by Shares',
  ],
  [
    'ID',
    'PT|P.T.|PT.|Tbk|Tbk.|PT Tbk|CV|C.V.|Persero|Perum|UD|Fa',
    'Perseroan Terbatas|Perseroan Terbatas Terbuka|Commanditaire Vennootschap|Perusahaan Perseroan|Perusahaan Umum|Usaha Dagang|Firma',
    'prefix',
  ],
  [
    'TH',
    'Co., Ltd.|Co. Ltd.|Co Ltd|Ltd.|PCL|Public Co., Ltd.|Public Co Ltd|Ltd. Part.',
    'Company Limited|Public Company Limited|Limited Partnership|Borisat Chamkat|Borisat Chamkat Mahachon',
  ],
  ['PH', 'Inc.|Inc|Corp.|Corp|Co.|Ltd.', 'Incorporated|Corporation|Company|Limited|One Person Corporation'],
  [
    'VN',
    'JSC|J.S.C.|Co., Ltd.|Co. Ltd.|Co Ltd|LLC|Ltd|Cty|Cong Ty|CP|TNHH|Cong Ty TNHH|Cong Ty CP',
    'Joint Stock Company|Company Limited|Limited Liability Company|Cong Ty Co Phan|Cong Ty Trach Nhiem Huu Han',
    'prefix',
  ],
  [
    'PK',
    'Pvt Ltd|Pvt. Ltd.|(Pvt) Ltd|(Private) Limited|Ltd|SMC-Pvt Ltd',
    'Private Limited|Public Limited Company|Single Member Company',
  ],
  ['BD', 'Ltd|Limited|PLC|Pvt Ltd', 'Private Limited Company|Public Limited Company'],
  ['LK', '(Pvt) Ltd|Pvt Ltd|PLC|Ltd', 'Private Limited|Public Limited Company'],
];

/**
 * Forms shared across countries that are written in English or Latin everywhere (an "International
 * Holdings Ltd" can be anywhere). Listed once, country "XX".
 */
export const GENERIC_LEGAL_FORM_ROWS: readonly LegalFormRow[] = [
  [
    'XX',
    'Ltd|Ltd.|Limited|Inc|Inc.|Incorporated|Corp|Corp.|Corporation|Co|Co.|Company|Cie|LLC|PLC|SE|S.E.|SA|S.A.',
    'Societas Europaea|Public Company|Private Company|Limited Company|Company Limited|Incorporated Company',
  ],
];
