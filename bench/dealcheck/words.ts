/**
 * Bench-local word lists for realistic company names (not the demo generator's): surnames and places of
 * many countries, industry words, and the legal forms each country writes. Written for this bench only.
 */
export const SURNAMES =
  `Smith Johnson Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Hoffmann Schulz Koch Richter
Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hartmann Lange Werner Krause Lehmann Martin Bernard
Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel García Fernández González
Rodríguez López Martínez Sánchez Pérez Gómez Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco
Bruno Gallo Conti Costa Giordano Mancini Rizzo Lombardi Moretti Jansen Bakker Visser Meijer Mulder Peters Hendriks
Dekker Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Hansen Nielsen
Pedersen Christensen Rasmussen Jørgensen Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński
Szymański Woźniak Novák Svoboda Dvořák Černý Procházka Kučera Nagy Kovács Tóth Szabó Horváth Varga Molnár Ivanov
Smirnov Kuznetsov Popov Vasiliev Petrov Sokolov Mikhailov Novikov Fedorov Morozov Volkov Alekseev Lebedev Semenov
Yılmaz Kaya Demir Şahin Çelik Yıldız Papadopoulos Silva Santos Oliveira Souza Pereira Lima Carvalho Ferreira
Almeida Ribeiro Tanaka Suzuki Takahashi Watanabe Yamamoto Nakamura Kobayashi Yoshida Zhang Chen Yang Huang Zhao
Zhou Singh Kumar Sharma Patel Gupta Reddy Mehta Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore
Jackson White Harris Thompson Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker Nelson
Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers
Morgan Cooper Reed Bailey Kelly Howard Ward Richardson Wood Watson Brooks Bennett Gray Hughes Price Sanders Foster
Powell Perry Butler Barnes Fisher Henderson Coleman O'Brien MacLeod Murray Byrne Walsh O'Connor McCarthy Doyle
Kessler Brandt Vogel Engel Frank Haas Jung Keller Lorenz Ludwig Marx Nagel Otto Pohl Rieger Sauer Seidel Stein
Thiel Ulrich Vetter Winter Ziegler Blanc Chevalier Faure Fontaine Girard Gauthier Mercier Rousseau Vincent Marchand
Navarro Romero Serrano Molina Ortega Delgado Castro Ortiz Rubio Marín Iglesias Medina Garrido Cortés Castillo
Santiago Lozano Guerrero Benedetti Caruso Ferri Fontana Leone Longo Mariani Monti Palumbo Rinaldi Sala Testa
Vitale Bergström Lindqvist Lundberg Holmberg Sandberg Forsberg Engström Halvorsen Haugen Johannessen Berntsen`
    .split(/\s+/)
    .filter((w) => w.length > 0);

export const PLACES =
  `Berlin Hamburg München Köln Frankfurt Stuttgart Düsseldorf Leipzig Dresden Hannover Nürnberg Bremen Rhein
Elbe Bavaria Paris Lyon Marseille Toulouse Nantes Bordeaux Lille Rennes Loire Provence Normandie Bretagne Madrid
Barcelona Valencia Sevilla Bilbao Málaga Zaragoza Galicia Andalucía Roma Milano Napoli Torino Firenze Bologna
Venezia Genova Verona Padova Toscana Lombardia Amsterdam Rotterdam Utrecht Eindhoven Groningen Holland Brabant
London Manchester Birmingham Leeds Glasgow Edinburgh Bristol Liverpool Cardiff Belfast Thames Pennine Yorkshire
Cornwall Dublin Galway Stockholm Göteborg Malmö Uppsala Oslo Bergen Trondheim Stavanger København Aarhus Odense
Helsinki Espoo Tampere Turku Warszawa Kraków Wrocław Poznań Gdańsk Praha Brno Ostrava Budapest Debrecen Wien Graz
Linz Salzburg Innsbruck Zürich Genève Basel Lausanne Luzern Lisboa Porto Braga Athina Thessaloniki Istanbul Ankara
Izmir Moskva Novosibirsk Kazan Kyiv Lviv Odesa Chicago Boston Seattle Denver Austin Dallas Houston Phoenix Atlanta
Miami Portland Detroit Cleveland Pittsburgh Baltimore Nashville Memphis Charlotte Raleigh Tampa Orlando
Sacramento Oakland Tahoe Hudson Potomac Cascade Sierra Midwest Toronto Montréal Vancouver Calgary Ottawa Québec
Ontario Sydney Melbourne Brisbane Adelaide Auckland Wellington Tokyo Osaka Kyoto Nagoya Yokohama Seoul Busan
Shanghai Beijing Shenzhen Guangzhou Mumbai Delhi Bangalore Chennai Pune Hyderabad Curitiba Recife Monterrey
Guadalajara Puebla Bogotá Medellín Valparaíso Córdoba Rosario Singapore Jakarta Bangkok Manila Dubai Riyadh Cairo
Lagos Nairobi Johannesburg Durban Adriatic Baltic Danube Alpine Nordic Iberia Andes Sahara Atlas Olympus Everest
Aurora Meridian Horizon Summit Harbor Lakeside Riverside Oakwood Pinecrest Redwood Silverline Bluewater Greenfield
Northgate Westbrook Eastwood Southport Highland Lowland Valley Bayside Cliffside Stonebridge Ironwood Maplewood`
    .split(/\s+/)
    .filter((w) => w.length > 0);

/** Industry words (common in names); each with the abbreviation partners write, when there is one. */
export const INDUSTRIES: readonly (readonly [string, string?])[] = [
  ['Logistics'],
  ['Robotics'],
  ['Systems', 'Sys'],
  ['Solutions'],
  ['Technologies', 'Tech'],
  ['Software'],
  ['Consulting'],
  ['Engineering', 'Eng'],
  ['Maschinenbau'],
  ['Elektrotechnik'],
  ['Immobilien'],
  ['Handel'],
  ['Informatique'],
  ['Construcciones'],
  ['Servizi'],
  ['Trading'],
  ['Holdings', 'Hldgs'],
  ['Capital'],
  ['Industries', 'Inds'],
  ['Manufacturing', 'Mfg'],
  ['Foods'],
  ['Beverages'],
  ['Textiles'],
  ['Pharma'],
  ['Biotech'],
  ['Medical'],
  ['Energy'],
  ['Solar'],
  ['Mining'],
  ['Metals'],
  ['Steel'],
  ['Plastics'],
  ['Chemicals'],
  ['Paper'],
  ['Packaging'],
  ['Printing'],
  ['Media'],
  ['Publishing'],
  ['Marketing'],
  ['Advertising'],
  ['Design'],
  ['Architecture'],
  ['Interiors'],
  ['Furniture'],
  ['Fashion'],
  ['Apparel'],
  ['Footwear'],
  ['Cosmetics'],
  ['Dental'],
  ['Veterinary'],
  ['Agriculture'],
  ['Farms'],
  ['Dairy'],
  ['Seafood'],
  ['Bakery'],
  ['Brewery'],
  ['Winery'],
  ['Hotels'],
  ['Travel'],
  ['Aviation'],
  ['Marine'],
  ['Shipping'],
  ['Freight'],
  ['Automotive'],
  ['Motors'],
  ['Electronics'],
  ['Semiconductors'],
  ['Networks'],
  ['Telecom'],
  ['Cloud'],
  ['Security'],
  ['Analytics'],
  ['Insurance'],
  ['Finance'],
  ['Investments'],
  ['Leasing'],
  ['Properties'],
  ['Realty'],
  ['Construction'],
  ['Cement'],
  ['Glass'],
  ['Tools'],
  ['Machinery'],
  ['Equipment'],
  ['Instruments'],
  ['Optics'],
  ['Lighting'],
  ['Electric'],
  ['Water'],
  ['Environmental'],
  ['Recycling'],
  ['Cleaning'],
  ['Staffing'],
  ['Training'],
  ['Education'],
  ['Academy'],
  ['Laboratories', 'Labs'],
  ['Research'],
  ['Studio'],
  ['Werke'],
  ['Group', 'Grp'],
  ['International', 'Intl'],
  ['Global'],
  ['Services', 'Svcs'],
  ['Supply'],
  ['Distribution'],
  ['Wholesale'],
  ['Retail'],
  ['Outfitters'],
  ['Management', 'Mgmt'],
  ['Associates', 'Assoc'],
  ['Brothers', 'Bros'],
];

/** Legal forms each country writes (spellings partners use), `^` marks a form written before the name. */
export const COUNTRY_FORMS: Record<string, readonly string[]> = {
  US: ['Inc.', 'Inc', 'Incorporated', 'LLC', 'L.L.C.', 'Corp.', 'Corporation', 'Co.', 'Company', 'LP'],
  GB: ['Ltd', 'Ltd.', 'Limited', 'PLC', 'plc', 'LLP'],
  IE: ['Limited', 'DAC', 'Teoranta'],
  DE: ['GmbH', 'AG', 'GmbH & Co. KG', 'KG', 'e.K.', 'UG (haftungsbeschränkt)', 'Aktiengesellschaft', 'mbH'],
  AT: ['GmbH', 'Ges.m.b.H.', 'AG', 'KG'],
  CH: ['AG', 'GmbH', 'SA', 'Sàrl'],
  FR: ['SAS', 'S.A.S.', 'SA', 'S.A.', 'SARL', 'S.A.R.L.', 'EURL', 'SNC', 'SCI', 'SASU'],
  BE: ['NV', 'BV', 'SA', 'SRL', 'BVBA', 'SPRL'],
  NL: ['B.V.', 'BV', 'N.V.', 'NV'],
  ES: ['S.L.', 'SL', 'S.A.', 'S.L.U.', 'S.A.U.'],
  PT: ['Lda.', 'Lda', 'S.A.'],
  IT: ['S.r.l.', 'Srl', 'S.p.A.', 'SpA', 'S.a.s.', 'S.n.c.'],
  SE: ['AB', '^AB'],
  NO: ['AS', 'ASA'],
  DK: ['A/S', 'ApS'],
  FI: ['Oy', 'Oyj', '^Oy'],
  PL: ['Sp. z o.o.', 'sp. z o.o.', 'S.A.', 'Sp.k.'],
  CZ: ['s.r.o.', 'a.s.', 'spol. s r.o.'],
  HU: ['Kft.', 'Zrt.', 'Nyrt.', 'Bt.'],
  RO: ['S.R.L.', 'SRL', 'S.A.'],
  GR: ['A.E.', 'E.P.E.', 'I.K.E.'],
  TR: ['A.Ş.', 'Ltd. Şti.', 'Ltd Sti'],
  RU: ['^OOO', '^AO', '^PAO', '^PJSC', '^ZAO'],
  UA: ['^TOV', '^PrAT', '^PJSC'],
  BG: ['^EOOD', '^OOD', 'AD', 'EAD'],
  BR: ['Ltda.', 'Ltda', 'S.A.', 'EIRELI'],
  MX: ['S.A. de C.V.', 'SA de CV', 'S. de R.L. de C.V.'],
  AR: ['S.A.', 'S.R.L.'],
  CL: ['SpA', 'Ltda.', 'S.A.'],
  CO: ['S.A.S.', 'Ltda.'],
  CA: ['Inc.', 'Ltd.', 'Corp.', 'Ltée'],
  AU: ['Pty Ltd', 'Pty. Ltd.', 'Ltd'],
  NZ: ['Limited', 'Ltd'],
  ZA: ['(Pty) Ltd', 'Pty Ltd'],
  IN: ['Pvt. Ltd.', 'Private Limited', 'Pvt Ltd', 'Ltd'],
  SG: ['Pte. Ltd.', 'Pte Ltd'],
  MY: ['Sdn. Bhd.', 'Sdn Bhd', 'Berhad'],
  JP: ['K.K.', 'Co., Ltd.', 'Kabushiki Kaisha', 'G.K.'],
  KR: ['Co., Ltd.', 'Corp.', 'Inc.'],
  CN: ['Co., Ltd.', 'Ltd.'],
  ID: ['^PT', 'Tbk'],
  TH: ['Co., Ltd.', 'PCL'],
  AE: ['LLC', 'FZE', 'FZ-LLC'],
  IL: ['Ltd'],
  EG: ['S.A.E.'],
};

/** Country mix of a vendor's end customers (weights). */
export const COUNTRY_WEIGHTS: readonly (readonly [string, number])[] = [
  ['US', 24],
  ['GB', 8],
  ['DE', 9],
  ['FR', 7],
  ['IT', 4],
  ['ES', 4],
  ['NL', 3],
  ['BE', 1],
  ['CH', 2],
  ['AT', 1],
  ['IE', 1],
  ['SE', 2],
  ['NO', 1],
  ['DK', 1],
  ['FI', 1],
  ['PL', 2],
  ['CZ', 1],
  ['HU', 1],
  ['RO', 1],
  ['GR', 1],
  ['PT', 1],
  ['TR', 1],
  ['RU', 2],
  ['UA', 1],
  ['BG', 1],
  ['BR', 3],
  ['MX', 2],
  ['AR', 1],
  ['CL', 1],
  ['CO', 1],
  ['CA', 3],
  ['AU', 2],
  ['NZ', 1],
  ['ZA', 1],
  ['IN', 3],
  ['SG', 1],
  ['MY', 1],
  ['JP', 3],
  ['KR', 1],
  ['CN', 2],
  ['ID', 1],
  ['TH', 1],
  ['AE', 1],
  ['IL', 1],
  ['EG', 1],
];

export const TLD: Record<string, string> = {
  US: 'com',
  GB: 'co.uk',
  DE: 'de',
  FR: 'fr',
  IT: 'it',
  ES: 'es',
  NL: 'nl',
  BE: 'be',
  CH: 'ch',
  AT: 'at',
  IE: 'ie',
  SE: 'se',
  NO: 'no',
  DK: 'dk',
  FI: 'fi',
  PL: 'pl',
  CZ: 'cz',
  HU: 'hu',
  RO: 'ro',
  GR: 'gr',
  PT: 'pt',
  TR: 'com.tr',
  RU: 'ru',
  UA: 'ua',
  BG: 'bg',
  BR: 'com.br',
  MX: 'com.mx',
  AR: 'com.ar',
  CL: 'cl',
  CO: 'co',
  CA: 'ca',
  AU: 'com.au',
  NZ: 'co.nz',
  ZA: 'co.za',
  IN: 'in',
  SG: 'sg',
  MY: 'com.my',
  JP: 'co.jp',
  KR: 'co.kr',
  CN: 'cn',
  ID: 'co.id',
  TH: 'co.th',
  AE: 'ae',
  IL: 'co.il',
  EG: 'com.eg',
};

/** Syllables of invented brand names ("Veltrano", "Kosmira"). */
export const SYLLABLES =
  `ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge gi go ha he hi ka ke ki ko ku la le
li lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za ze zo
bra bri cla cre dra fra gla gra kra pla pra pri sta ste sto tra tre tri vel var ver vor mar mer mor nor lor tor ar
or er al el en an on ix ax ex`
    .split(/\s+/)
    .filter((w) => w.length > 0);
export const ENDINGS = [
  'x',
  'n',
  's',
  'r',
  'l',
  'tek',
  'tex',
  'tron',
  'lia',
  'nix',
  'ra',
  'gen',
  'dex',
  'lux',
  'via',
  'ium',
  'ica',
  'ent',
  'ion',
  'ano',
  'ara',
  'eon',
  'ita',
  'ova',
];
